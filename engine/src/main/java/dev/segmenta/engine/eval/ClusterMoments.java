package dev.segmenta.engine.eval;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;

/**
 * Per segment: the customer count, the mean and the sum of squared deviations from it (summed over
 * features), of labelled customers, in double. These are the cluster means and within-cluster scatter
 * that Calinski-Harabasz and Davies-Bouldin are defined on: the means of the customers actually in each
 * segment, which after a converged fit are the centroids, but need not be for new data.
 *
 * <p>One parallel pass; each block's moments are merged in block order with the pairwise update of
 * Chan, Golub and LeVeque (1979), so the result does not depend on the thread count and stays
 * accurate when a mean is large compared to the spread.
 *
 * @param counts     customers per segment
 * @param means      {@code k * d} row-major segment means (0 for an empty segment)
 * @param scatter    per segment, {@code Σ ‖x − mean‖²} over its customers
 * @param grandMean  the mean of all customers
 */
public record ClusterMoments(long[] counts, double[] means, double[] scatter, double[] grandMean) {

    public static ClusterMoments of(Dataset data, int[][] labels, int k, BlockExecutor executor) {
        int d = data.dimensions();
        ClusterMoments[] partial = new ClusterMoments[data.blockCount()];
        executor.forEachBlock(data.blockCount(), b -> partial[b] = ofBlock(data.block(b), labels[b], k, d));
        long[] counts = new long[k];
        double[] means = new double[k * d];
        double[] scatter = new double[k];
        for (ClusterMoments block : partial) {
            for (int j = 0; j < k; j++) {
                long nb = block.counts[j];
                if (nb == 0) {
                    continue;
                }
                long na = counts[j];
                long total = na + nb;
                double squaredShift = 0;
                for (int f = 0; f < d; f++) {
                    double delta = block.means[j * d + f] - means[j * d + f];
                    means[j * d + f] += delta * nb / total;
                    squaredShift += delta * delta;
                }
                scatter[j] += block.scatter[j] + squaredShift * ((double) na * nb / total);
                counts[j] = total;
            }
        }
        long n = 0;
        double[] grand = new double[d];
        for (int j = 0; j < k; j++) {
            n += counts[j];
        }
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                grand[f] += means[j * d + f] * ((double) counts[j] / n);
            }
        }
        return new ClusterMoments(counts, means, scatter, grand);
    }

    /** Two passes over one block: sums give the means, then deviations from them give the scatter. */
    private static ClusterMoments ofBlock(FeatureBatch block, int[] labels, int k, int d) {
        int n = block.rows();
        float[] x = block.values();
        long[] counts = new long[k];
        double[] means = new double[k * d];
        double[] scatter = new double[k];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
        }
        for (int f = 0; f < d; f++) {
            int base = f * n;
            for (int i = 0; i < n; i++) {
                means[labels[i] * d + f] += x[base + i];
            }
        }
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                means[j * d + f] = counts[j] == 0 ? 0 : means[j * d + f] / counts[j];
            }
        }
        for (int f = 0; f < d; f++) {
            int base = f * n;
            for (int i = 0; i < n; i++) {
                double dev = x[base + i] - means[labels[i] * d + f];
                scatter[labels[i]] += dev * dev;
            }
        }
        return new ClusterMoments(counts, means, scatter, null);
    }

    public int k() {
        return counts.length;
    }

    public int dimensions() {
        return grandMean.length;
    }

    public long rows() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Segments with at least one customer: the {@code n_labels} of scikit-learn's metrics. */
    public int nonEmpty() {
        int m = 0;
        for (long c : counts) {
            if (c > 0) {
                m++;
            }
        }
        return m;
    }

    /** Euclidean distance between the means of segments {@code i} and {@code j}. */
    double meanDistance(int i, int j) {
        int d = dimensions();
        double sum = 0;
        for (int f = 0; f < d; f++) {
            double diff = means[i * d + f] - means[j * d + f];
            sum += diff * diff;
        }
        return Math.sqrt(sum);
    }

    /**
     * @throws IllegalArgumentException unless {@code 2 ≤ non-empty segments ≤ rows − 1}, the range in
     *                                  which scikit-learn defines its cluster-quality metrics
     */
    void requireValidLabelCount() {
        int labels = nonEmpty();
        if (labels < 2 || labels > rows() - 1) {
            throw new IllegalArgumentException("the metrics need between 2 and " + (rows() - 1)
                    + " non-empty segments, got " + labels);
        }
    }
}
