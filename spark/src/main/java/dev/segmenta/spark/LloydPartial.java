package dev.segmenta.spark;

import dev.segmenta.engine.cluster.FarthestCustomers;
import dev.segmenta.kernels.KMeansKernels;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * One partition's share of a Lloyd pass, the only thing a task sends back: per-segment weight and
 * coordinate sums, the cost, the farthest customers (for empty segments) and the kernel backend that
 * ran. Partials of consecutive partitions are {@link #add added} in partition order.
 */
final class LloydPartial implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    final double[] counts;
    final double[] sums;
    double cost;
    final FarthestCustomers farthest;
    final TreeSet<String> backends = new TreeSet<>();

    LloydPartial(int k, int d) {
        this.counts = new double[k];
        this.sums = new double[k * d];
        this.farthest = new FarthestCustomers(k, d);
    }

    /**
     * Assigns one partition's blocks to {@code centroids} with the kernels and sums them up: each
     * block's partial sums first, then added in block order, as the in-memory engine merges its blocks.
     */
    static LloydPartial of(Iterable<FeatureBlock> blocks, float[] centroids, int k, int d, KMeansKernels kernels) {
        LloydPartial partial = new LloydPartial(k, d);
        partial.backends.add(kernels.name());
        double[] blockCounts = new double[k];
        double[] blockSums = new double[k * d];
        int[] labels = new int[0];
        float[] distances = new float[0];
        for (FeatureBlock block : blocks) {
            if (labels.length < block.n) {
                labels = new int[block.n];
                distances = new float[block.n];
            }
            Arrays.fill(blockCounts, 0);
            Arrays.fill(blockSums, 0);
            partial.cost += kernels.assignAndAccumulate(block.x, block.n, d, block.weights, centroids, k, labels,
                    distances, blockCounts, blockSums);
            add(partial.counts, blockCounts);
            add(partial.sums, blockSums);
            partial.farthest.scan(block.x, block.n, block.weights, labels, distances);
        }
        return partial;
    }

    /** Adds the partial of the partitions right after this one's. */
    LloydPartial add(LloydPartial later) {
        add(counts, later.counts);
        add(sums, later.sums);
        cost += later.cost;
        farthest.merge(later.farthest);
        backends.addAll(later.backends);
        return this;
    }

    static void add(double[] into, double[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] += values[i];
        }
    }
}
