package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;

/**
 * A labelling of a dataset described the way a centroid model is: each cluster's (weighted) mean,
 * its customer count and the weighted sum of squared distances to the means. Label {@code -1}
 * (DBSCAN's noise) belongs to no cluster and is left out of all three.
 *
 * @param centroids       {@code clusters · d} values, row-major
 * @param sizes           customers per cluster
 * @param inertia         {@code Σ w · |x - mean|²} over the clustered customers
 * @param squaredDistance per block, each customer's squared distance to its cluster's mean (NaN for noise)
 */
public record Partition(float[] centroids, int clusters, long[] sizes, double inertia, float[][] squaredDistance) {

    /**
     * Two passes: the means (sequential, in block order, so they do not depend on threads), then the
     * distances (parallel per block, merged in block order).
     */
    public static Partition of(Dataset data, int[][] labels, int clusters, BlockExecutor executor) {
        int d = data.dimensions();
        double[] sums = new double[clusters * d];
        double[] weight = new double[clusters];
        long[] sizes = new long[clusters];
        for (int b = 0; b < data.blockCount(); b++) {
            FeatureBatch block = data.block(b);
            int n = block.rows();
            float[] x = block.values();
            float[] w = data.weights(b);
            int[] label = labels[b];
            for (int i = 0; i < n; i++) {
                int j = label[i];
                if (j < 0) {
                    continue;
                }
                double wi = w == null ? 1.0 : w[i];
                sizes[j]++;
                weight[j] += wi;
                for (int f = 0; f < d; f++) {
                    sums[j * d + f] += wi * x[f * n + i];
                }
            }
        }
        float[] centroids = new float[clusters * d];
        for (int j = 0; j < clusters; j++) {
            for (int f = 0; f < d; f++) {
                // A cluster of weight 0 has no mean; its unweighted sum is then 0 as well.
                centroids[j * d + f] = weight[j] > 0 ? (float) (sums[j * d + f] / weight[j]) : 0f;
            }
        }
        float[][] squared = new float[data.blockCount()][];
        double[] blockInertia = new double[data.blockCount()];
        executor.forEachBlock(data.blockCount(), b -> {
            FeatureBatch block = data.block(b);
            int n = block.rows();
            float[] x = block.values();
            float[] w = data.weights(b);
            int[] label = labels[b];
            float[] out = new float[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int j = label[i];
                if (j < 0) {
                    out[i] = Float.NaN;
                    continue;
                }
                float s = 0f;
                for (int f = 0; f < d; f++) {
                    float diff = x[f * n + i] - centroids[j * d + f];
                    s += diff * diff;
                }
                out[i] = s;
                sum += (w == null ? 1.0 : w[i]) * s;
            }
            squared[b] = out;
            blockInertia[b] = sum;
        });
        return new Partition(centroids, clusters, sizes, KMeansWorkspace.sumInOrder(blockInertia), squared);
    }
}
