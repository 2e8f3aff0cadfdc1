package dev.segmenta.engine.data;

import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;

import java.util.Arrays;

/**
 * Per-feature count, mean and variance of a dataset (unweighted), computed in one parallel pass over
 * an in-memory {@link Dataset} or one sequential pass over a {@link FeatureSource}.
 *
 * <p>Each block's mean and sum of squared deviations are merged in block order with the pairwise
 * update of Chan, Golub and LeVeque (1979), which stays accurate when the mean is large compared to
 * the spread (the naive {@code Σx² - n·mean²} does not). Both paths merge through one
 * {@link Accumulator}, so the same blocks give bit-identical statistics in memory and streamed.
 */
public record FeatureStats(long count, double[] mean, double[] variance, double[] min, double[] max) {

    public static FeatureStats of(Dataset data, BlockExecutor executor) {
        int blocks = data.blockCount();
        Moments[] moments = new Moments[blocks];
        executor.forEachBlock(blocks, b -> moments[b] = Moments.of(data.block(b), data.dimensions()));
        Accumulator accumulator = new Accumulator(data.dimensions());
        for (Moments m : moments) {
            accumulator.merge(m);
        }
        return accumulator.result();
    }

    /** Reads {@code source} to its end, one block in memory at a time. */
    public static FeatureStats of(FeatureSource source) {
        Accumulator accumulator = new Accumulator(source.featureNames().size());
        for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
            accumulator.add(batch);
        }
        return accumulator.result();
    }

    public double meanVariance() {
        double sum = 0;
        for (double v : variance) {
            sum += v;
        }
        return variance.length == 0 ? 0 : sum / variance.length;
    }

    /**
     * Statistics built up block by block in file order, for callers that stream the data once for
     * several purposes. Memory: {@code O(d)}.
     */
    public static final class Accumulator {

        private final int d;
        private final double[] mean;
        private final double[] m2;
        private final double[] min;
        private final double[] max;
        private long count;

        public Accumulator(int dimensions) {
            this.d = dimensions;
            this.mean = new double[d];
            this.m2 = new double[d];
            this.min = new double[d];
            this.max = new double[d];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        /** Adds the first {@code d} features of the next block. */
        public void add(FeatureBatch block) {
            merge(Moments.of(block, d));
        }

        private void merge(Moments block) {
            long nb = block.rows;
            long total = count + nb;
            for (int f = 0; f < d; f++) {
                double delta = block.mean[f] - mean[f];
                mean[f] += delta * nb / total;
                m2[f] += block.m2[f] + delta * delta * ((double) count * nb / total);
                min[f] = Math.min(min[f], block.min[f]);
                max[f] = Math.max(max[f], block.max[f]);
            }
            count = total;
        }

        public FeatureStats result() {
            double[] variance = new double[d];
            for (int f = 0; f < d; f++) {
                variance[f] = count == 0 ? 0 : m2[f] / count;
            }
            return new FeatureStats(count, mean.clone(), variance, min.clone(), max.clone());
        }
    }

    /** One block's mean, sum of squared deviations from it, minimum and maximum per feature. */
    private record Moments(long rows, double[] mean, double[] m2, double[] min, double[] max) {

        static Moments of(FeatureBatch block, int d) {
            int n = block.rows();
            float[] x = block.values();
            double[] mean = new double[d];
            double[] m2 = new double[d];
            double[] min = new double[d];
            double[] max = new double[d];
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
                double blockMean = sum / n;
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    double dev = x[base + i] - blockMean;
                    squares += dev * dev;
                }
                mean[f] = blockMean;
                m2[f] = squares;
                min[f] = lo;
                max[f] = hi;
            }
            return new Moments(n, mean, m2, min, max);
        }
    }
}
