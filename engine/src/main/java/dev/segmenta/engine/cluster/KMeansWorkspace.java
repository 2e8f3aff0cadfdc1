package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.PointBlocks;
import dev.segmenta.kernels.ResidentDataset;
import dev.segmenta.kernels.ScalarKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Per-block buffers shared by initialisation and the Lloyd passes of one fit: each point's label
 * and squared distance, and each block's partial sums.
 *
 * <p>Every pass runs in one of two ways, with the same per-block results and the same merge in block
 * order, so results do not depend on the thread count: block by block on the host through the
 * {@link KMeansKernels} calls, or, when the backend holds the data itself ({@link KMeansKernels#upload},
 * a GPU), as one {@link ResidentDataset} pass. In the second case each point's label and distance
 * live on the device; {@link #labels()} and {@link #minDist()} copy them back when asked for, and
 * host edits to them (empty-cluster moves, k-means||) hold until the next pass that recomputes them.
 *
 * <p>Memory: {@code 8} bytes per customer (label + distance) plus {@code 8 * (k * (d + 1) + 1)} bytes
 * per block, and on a device backend the device's copy of the points.
 */
final class KMeansWorkspace implements AutoCloseable {

    /** Which per-point values the host arrays hold: their own, or an older state than the device's. */
    private enum HostCopy { CURRENT, ASSIGNMENT_ON_DEVICE, NEAREST_ON_DEVICE }

    final Dataset data;
    final KMeansKernels kernels;
    final BlockExecutor executor;
    final int d;
    private final int[][] labels;
    private final float[][] minDist;
    private final double[] blockScalar;
    private final ResidentDataset resident;
    private HostCopy host = HostCopy.CURRENT;
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

    /**
     * @param k the number of centroids the passes will use (sizes a device backend's buffers)
     */
    KMeansWorkspace(Dataset data, KMeansKernels kernels, BlockExecutor executor, int k) {
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
        this.resident = kernels.upload(points(data), k).orElse(null);
    }

    /** The dataset as the kernel SPI sees it: the blocks themselves, not copies. */
    static PointBlocks points(Dataset data) {
        List<float[]> values = new ArrayList<>(data.blockCount());
        int[] rows = new int[data.blockCount()];
        List<float[]> weights = data.weights() == null ? null : new ArrayList<>(data.blockCount());
        for (int b = 0; b < data.blockCount(); b++) {
            values.add(data.block(b).values());
            rows[b] = data.block(b).rows();
            if (weights != null) {
                weights.add(data.weights(b));
            }
        }
        return new PointBlocks(values, rows, data.dimensions(), weights);
    }

    int blockCount() {
        return labels.length;
    }

    /** Where the passes run, when the backend holds the data ({@link ResidentDataset#description()}). */
    Optional<String> residentDescription() {
        return Optional.ofNullable(resident).map(ResidentDataset::description);
    }

    /** Every point's label ({@code labels()[b][i]}), as the last pass left it. */
    int[][] labels() {
        syncHost();
        return labels;
    }

    /** Every point's squared distance: to its centroid after an assignment, to the nearest centre while seeding. */
    float[][] minDist() {
        syncHost();
        return minDist;
    }

    private void syncHost() {
        switch (host) {
            case ASSIGNMENT_ON_DEVICE -> resident.copyAssignments(labels, minDist);
            case NEAREST_ON_DEVICE -> resident.copyNearestDistances(minDist);
            case CURRENT -> { }
        }
        host = HostCopy.CURRENT;
    }

    /** Frees the backend's copy of the data, if it made one. */
    @Override
    public void close() {
        if (resident != null) {
            resident.close();
        }
    }

    /**
     * One Lloyd E-step plus the sums for the M-step; returns the inertia w.r.t. {@code c}. The first
     * pass after the labels were set any other way accumulates every block's sums afresh; later passes
     * only move the customers that change segment ({@link KMeansKernels#reassign}). A resident dataset
     * recomputes every block's sums on the device each pass: there the sums cost little next to the
     * assignment, and the labels they would be updated from are on the device.
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
        if (resident != null) {
            resident.assignAndAccumulate(c, k, blockCounts, blockSums, blockScalar);
            host = HostCopy.ASSIGNMENT_ON_DEVICE;
        } else {
            boolean incremental = partialsMatchLabels && !data.weighted();
            executor.forEachBlock(blocks, b -> {
                FeatureBatch block = data.block(b);
                if (incremental) {
                    blockScalar[b] = kernels.reassign(block.values(), block.rows(), d, data.weights(b), c, k,
                            labels[b], minDist[b], blockCounts[b], blockSums[b]);
                } else {
                    Arrays.fill(blockCounts[b], 0);
                    Arrays.fill(blockSums[b], 0);
                    blockScalar[b] = kernels.assignAndAccumulate(block.values(), block.rows(), d, data.weights(b), c,
                            k, labels[b], minDist[b], blockCounts[b], blockSums[b]);
                }
            });
        }
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
        if (resident != null) {
            resident.assign(c, k, blockScalar);
            host = HostCopy.ASSIGNMENT_ON_DEVICE;
        } else {
            executor.forEachBlock(blockCount(), b -> {
                FeatureBatch block = data.block(b);
                kernels.assign(block.values(), block.rows(), d, c, k, labels[b], minDist[b]);
                blockScalar[b] = weightedSum(minDist[b], data.weights(b));
            });
        }
        return sumInOrder(blockScalar);
    }

    /** Resets every point's nearest distance to +∞ before seeding. */
    void resetNearestDistance() {
        if (resident != null) {
            resident.resetNearestDistance();
        } else {
            executor.forEachBlock(blockCount(), b -> Arrays.fill(minDist[b], Float.POSITIVE_INFINITY));
        }
    }

    /** Lowers every point's nearest distance by one new centre; returns the per-block potentials' total. */
    double updateNearestDistance(float[] centre, double[] blockPotential) {
        if (resident != null) {
            resident.updateNearestDistance(centre, blockPotential);
            host = HostCopy.NEAREST_ON_DEVICE;
        } else {
            executor.forEachBlock(blockCount(), b -> {
                FeatureBatch block = data.block(b);
                blockPotential[b] = kernels.updateNearestDistance(block.values(), block.rows(), d, data.weights(b),
                        centre, minDist[b]);
            });
        }
        return sumInOrder(blockPotential);
    }

    /**
     * Greedy k-means++'s trials: the potential each of the {@code trials} candidate centres (row-major)
     * would leave, per block ({@code potential[b][t]}), without changing the nearest distances.
     */
    void candidatePotentials(float[] candidates, int trials, double[][] potential) {
        if (resident != null) {
            resident.candidatePotentials(candidates, trials, potential);
            return;
        }
        float[][] nearest = minDist();
        executor.forEachBlock(blockCount(), b -> {
            FeatureBatch block = data.block(b);
            kernels.candidatePotentials(block.values(), block.rows(), d, data.weights(b), candidates, trials,
                    nearest[b], potential[b]);
        });
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
        syncHost();
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
