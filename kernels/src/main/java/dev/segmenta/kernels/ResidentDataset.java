package dev.segmenta.kernels;

/**
 * A dataset held by a backend where its kernels run (a GPU's memory, say), so that the passes of a
 * fit move only centroids in and per-block partial sums out instead of every point each time.
 * Obtained from {@link KMeansKernels#upload}; the caller closes it to free the device memory.
 *
 * <p>The kernel contract is that of {@link KMeansKernels}, applied to the whole dataset: each method
 * fills one entry per block of the {@link PointBlocks} it was made from, and the caller merges those
 * entries in block order, exactly as it merges the per-block calls of a host backend. The
 * per-point state (every point's label and squared distance, for the assignment and for seeding)
 * stays with the backend and is copied out only on request ({@link #copyAssignments},
 * {@link #copyNearestDistances}).
 *
 * <p>Instances are not thread-safe: one fit drives one dataset from one thread.
 */
public interface ResidentDataset extends AutoCloseable {

    /**
     * A Lloyd pass: assigns every point to its nearest of the {@code k} centroids and writes each
     * block's partial sums (as {@link KMeansKernels#assignAndAccumulate}, but overwriting).
     *
     * @param blockCounts  out: {@code blockCounts[b][j]} = weight of block {@code b}'s points nearest to {@code j}
     * @param blockSums    out: {@code blockSums[b][j * d + f]} = their weighted sum of feature {@code f}
     * @param blockInertia out: {@code blockInertia[b]} = block {@code b}'s weighted sum of squared distances
     */
    void assignAndAccumulate(float[] c, int k, double[][] blockCounts, double[][] blockSums, double[] blockInertia);

    /** Like {@link #assignAndAccumulate} without the sums: the assignment and each block's inertia only. */
    void assign(float[] c, int k, double[] blockInertia);

    /** Copies every point's label and squared distance from the last assignment pass into {@code labels[b]} and {@code distances[b]}. */
    void copyAssignments(int[][] labels, float[][] distances);

    /** Starts seeding afresh: the next {@link #updateNearestDistance} sets every nearest distance instead of lowering it. */
    void resetNearestDistance();

    /**
     * The k-means++ step: every point's nearest distance becomes {@code min(old, |x - centre|²)}.
     *
     * @param blockPotential out: each block's weighted sum of the updated nearest distances
     */
    void updateNearestDistance(float[] centre, double[] blockPotential);

    /**
     * What {@link #updateNearestDistance} would give for each of several candidate centres, without
     * changing the nearest distances (greedy k-means++ tries a few candidates per step).
     *
     * @param candidates {@code count} candidate centres, row-major
     * @param potential  out: {@code potential[b][t]} = block {@code b}'s weighted potential with candidate
     *                   {@code t} (as {@link KMeansKernels#candidatePotentials} per block)
     */
    void candidatePotentials(float[] candidates, int count, double[][] potential);

    /** Copies every point's current nearest distance (seeding) into {@code distances[b]}. */
    void copyNearestDistances(float[][] distances);

    /**
     * One line for progress output: where the data lives, how much of it, how long the one-off work
     * (JIT compilation of the kernels, the upload) took.
     */
    String description();

    /** Nanoseconds spent compiling kernels for this dataset (the part of the first pass that later passes do not pay). */
    long compileNanos();

    /** Frees the backend's copy of the data. */
    @Override
    void close();
}
