package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.ScalarKernels;

import java.util.Arrays;

/**
 * Per-block buffers shared by initialisation and the Lloyd passes of one fit: each point's label
 * and squared distance, and each block's partial sums.
 *
 * <p>Memory: {@code 8} bytes per customer (label + distance) plus {@code 8 * (k * (d + 1) + 1)} bytes
 * per block. Partials are merged in block order so results do not depend on the thread count.
 */
final class KMeansWorkspace {

    final Dataset data;
    final KMeansKernels kernels;
    final BlockExecutor executor;
    final int d;
    final int[][] labels;
    final float[][] minDist;
    private final double[] blockScalar;
    private double[][] blockCounts;
    private double[][] blockSums;

    /**
     * Whether the per-block counts and sums are the totals for the current labels, so that the next
     * Lloyd pass may update them for the customers that change segment instead of recomputing them.
     */
    private boolean partialsMatchLabels;

    /** Merged totals of the last {@link #lloydPass}, updated by {@link #move}. */
    double[] counts;
    double[] sums;

    KMeansWorkspace(Dataset data, KMeansKernels kernels, BlockExecutor executor) {
        this.data = data;
        this.kernels = kernels;
        this.executor = executor;
        this.d = data.dimensions();
        int blocks = data.blockCount();
        this.labels = new int[blocks][];
        this.minDist = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            labels[b] = new int[data.block(b).rows()];
            minDist[b] = new float[data.block(b).rows()];
        }
        this.blockScalar = new double[blocks];
    }

    int blockCount() {
        return labels.length;
    }

    /**
     * One Lloyd E-step plus the sums for the M-step; returns the inertia w.r.t. {@code c}. The first
     * pass after the labels were set any other way accumulates every block's sums afresh; later passes
     * only move the customers that change segment ({@link KMeansKernels#reassign}).
     *
     * <p>Only unweighted data is updated incrementally: its counts are whole numbers, exact in double, so
     * a segment that loses all its customers has a count of exactly 0 and is repaired as empty. Running
     * sums of float weights could leave a residue there instead, and weighted passes recompute.
     */
    double lloydPass(float[] c, int k) {
        int blocks = blockCount();
        if (blockCounts == null || blockCounts[0].length != k) {
            blockCounts = new double[blocks][k];
            blockSums = new double[blocks][k * d];
            counts = new double[k];
            sums = new double[k * d];
            partialsMatchLabels = false;
        }
        boolean incremental = partialsMatchLabels && !data.weighted();
        executor.forEachBlock(blocks, b -> {
            FeatureBatch block = data.block(b);
            if (incremental) {
                blockScalar[b] = kernels.reassign(block.values(), block.rows(), d, data.weights(b), c, k,
                        labels[b], minDist[b], blockCounts[b], blockSums[b]);
            } else {
                Arrays.fill(blockCounts[b], 0);
                Arrays.fill(blockSums[b], 0);
                blockScalar[b] = kernels.assignAndAccumulate(block.values(), block.rows(), d, data.weights(b), c, k,
                        labels[b], minDist[b], blockCounts[b], blockSums[b]);
            }
        });
        partialsMatchLabels = true;
        Arrays.fill(counts, 0);
        Arrays.fill(sums, 0);
        for (int b = 0; b < blocks; b++) {
            double[] bc = blockCounts[b];
            double[] bs = blockSums[b];
            for (int j = 0; j < k; j++) {
                counts[j] += bc[j];
            }
            for (int t = 0; t < bs.length; t++) {
                sums[t] += bs[t];
            }
        }
        return sumInOrder(blockScalar);
    }

    /** Makes the next {@link #lloydPass} recompute every block's sums (a full assign-and-accumulate pass). */
    void forgetPartials() {
        partialsMatchLabels = false;
    }

    /** Labels and distances only; returns the inertia w.r.t. {@code c}. */
    double assign(float[] c, int k) {
        partialsMatchLabels = false;
        executor.forEachBlock(blockCount(), b -> {
            FeatureBatch block = data.block(b);
            kernels.assign(block.values(), block.rows(), d, c, k, labels[b], minDist[b]);
            blockScalar[b] = weightedSum(minDist[b], data.weights(b));
        });
        return sumInOrder(blockScalar);
    }

    /** Resets every point's nearest distance to +∞ before seeding. */
    void resetNearestDistance() {
        executor.forEachBlock(blockCount(), b -> Arrays.fill(minDist[b], Float.POSITIVE_INFINITY));
    }

    /** Lowers every point's nearest distance by one new centre; returns the per-block potentials' total. */
    double updateNearestDistance(float[] centre, double[] blockPotential) {
        executor.forEachBlock(blockCount(), b -> {
            FeatureBatch block = data.block(b);
            blockPotential[b] = kernels.updateNearestDistance(block.values(), block.rows(), d, data.weights(b),
                    centre, minDist[b]);
        });
        return sumInOrder(blockPotential);
    }

    static double weightedSum(float[] values, float[] weights) {
        double sum = 0;
        if (weights == null) {
            for (float v : values) {
                sum += v;
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                sum += (double) weights[i] * values[i];
            }
        }
        return sum;
    }

    static double sumInOrder(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /**
     * Moves customer {@code i} of block {@code b} into segment {@code j} after a {@link #lloydPass}:
     * its label, its block's totals and the merged totals follow, so the next pass stays incremental.
     */
    void move(int b, int i, int j) {
        FeatureBatch block = data.block(b);
        int from = labels[b][i];
        float[] w = data.weights(b);
        ScalarKernels.move(block.values(), block.rows(), d, w, i, from, j, blockCounts[b], blockSums[b]);
        ScalarKernels.move(block.values(), block.rows(), d, w, i, from, j, counts, sums);
        labels[b][i] = j;
    }

    /** Copies point {@code i} of block {@code b} into row {@code j} of {@code c}. */
    void copyPoint(int b, int i, float[] c, int j) {
        FeatureBatch block = data.block(b);
        int n = block.rows();
        float[] x = block.values();
        for (int f = 0; f < d; f++) {
            c[j * d + f] = x[f * n + i];
        }
    }

    float weight(int b, int i) {
        float[] w = data.weights(b);
        return w == null ? 1f : w[i];
    }
}
