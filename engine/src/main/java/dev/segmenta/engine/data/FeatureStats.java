package dev.segmenta.engine.data;

import dev.segmenta.io.FeatureBatch;

import java.util.Arrays;

/**
 * Per-feature count, mean and variance of a dataset (unweighted), computed in one parallel pass.
 *
 * <p>Each block's mean and sum of squared deviations are merged in block order with the pairwise
 * update of Chan, Golub and LeVeque (1979), which stays accurate when the mean is large compared to
 * the spread (the naive {@code Σx² - n·mean²} does not).
 */
public record FeatureStats(long count, double[] mean, double[] variance, double[] min, double[] max) {

    public static FeatureStats of(Dataset data, BlockExecutor executor) {
        int d = data.dimensions();
        int blocks = data.blockCount();
        double[][] blockMean = new double[blocks][d];
        double[][] blockM2 = new double[blocks][d];
        double[][] blockMin = new double[blocks][d];
        double[][] blockMax = new double[blocks][d];
        executor.forEachBlock(blocks, b -> {
            FeatureBatch block = data.block(b);
            int n = block.rows();
            float[] x = block.values();
            for (int f = 0; f < d; f++) {
                int base = f * n;
                double sum = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = x[base + i];
                    sum += v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                double mean = sum / n;
                double m2 = 0;
                for (int i = 0; i < n; i++) {
                    double dev = x[base + i] - mean;
                    m2 += dev * dev;
                }
                blockMean[b][f] = mean;
                blockM2[b][f] = m2;
                blockMin[b][f] = lo;
                blockMax[b][f] = hi;
            }
        });
        double[] mean = new double[d];
        double[] m2 = new double[d];
        double[] min = new double[d];
        double[] max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        long count = 0;
        for (int b = 0; b < blocks; b++) {
            long nb = data.block(b).rows();
            long total = count + nb;
            for (int f = 0; f < d; f++) {
                double delta = blockMean[b][f] - mean[f];
                mean[f] += delta * nb / total;
                m2[f] += blockM2[b][f] + delta * delta * ((double) count * nb / total);
                min[f] = Math.min(min[f], blockMin[b][f]);
                max[f] = Math.max(max[f], blockMax[b][f]);
            }
            count = total;
        }
        double[] variance = new double[d];
        for (int f = 0; f < d; f++) {
            variance[f] = count == 0 ? 0 : m2[f] / count;
        }
        return new FeatureStats(count, mean, variance, min, max);
    }

    public double meanVariance() {
        double sum = 0;
        for (double v : variance) {
            sum += v;
        }
        return variance.length == 0 ? 0 : sum / variance.length;
    }
}
