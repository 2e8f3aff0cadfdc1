package dev.segmenta.kernels;

import java.util.Optional;

/**
 * The distance, assignment and centroid-update kernels that every backend implements.
 *
 * <p>Contract shared by all methods (see {@code shared/DESIGN.md}, "Kernel contract"):
 * <ul>
 *   <li>Points come in blocks, column-major: feature {@code f} of point {@code i} is {@code x[f * n + i]},
 *       where {@code n} is the block's row count (the array may be longer than {@code n * d}).</li>
 *   <li>Centroids are row-major: feature {@code f} of centroid {@code j} is {@code c[j * d + f]}.</li>
 *   <li>Squared distances are {@code Σ (x - c)²} evaluated in float; every sum over points is
 *       accumulated in double.</li>
 *   <li>Methods allocate nothing in proportion to their inputs (at most a few bytes per call) and never
 *       retain their arguments; an instance may be shared by threads.</li>
 *   <li>Ties in the nearest centroid go to the lowest centroid index.</li>
 * </ul>
 */
public interface KMeansKernels {

    /** Short backend name as used on the command line: {@code scalar}, {@code simd}, {@code tornado}. */
    String name();

    /**
     * Assigns every point of the block to its nearest centroid and adds the block's partial sums.
     *
     * @param x         block of points, column-major, {@code n} rows by {@code d} features
     * @param weights   per-point weights, or {@code null} for weight 1
     * @param c         {@code k} centroids, row-major
     * @param labels    out: nearest centroid per point ({@code n} entries written)
     * @param minDist   out: squared distance to that centroid ({@code n} entries written)
     * @param counts    in/out: {@code counts[j] += w_i} for every point assigned to {@code j}
     * @param sums      in/out: {@code sums[j * d + f] += w_i * x_if}
     * @return the block's weighted inertia {@code Σ w_i * minDist_i}
     */
    double assignAndAccumulate(float[] x, int n, int d, float[] weights, float[] c, int k,
                               int[] labels, float[] minDist, double[] counts, double[] sums);

    /**
     * A later Lloyd pass over a block whose sums are already known: assigns every point to its nearest
     * centroid and, for each point whose segment changes, moves its weight and coordinates from the old
     * segment's {@code counts}/{@code sums} to the new one's. After the first iterations few customers
     * change segment, so this costs little more than the assignment itself, where recomputing the sums
     * costs about as much again.
     *
     * <p>The running totals stay exact as long as double sums of the block's weighted coordinates are
     * (they are for data within a few orders of magnitude); otherwise they differ from a fresh
     * {@link #assignAndAccumulate} by a few roundings of the largest term.
     *
     * @param labels  in: every point's current segment, the labels {@code counts} and {@code sums} were
     *                accumulated for; out: its nearest centroid
     * @param minDist out: squared distance to that centroid
     * @param counts  in/out: the block's weight per segment, for the labels passed in; updated to the new labels
     * @param sums    in/out: the block's weighted coordinate sums per segment, likewise
     * @return the block's weighted inertia w.r.t. {@code c}
     */
    double reassign(float[] x, int n, int d, float[] weights, float[] c, int k,
                    int[] labels, float[] minDist, double[] counts, double[] sums);

    /** Like {@link #assignAndAccumulate} without the sums: labels and squared distances only (prediction). */
    void assign(float[] x, int n, int d, float[] c, int k, int[] labels, float[] minDist);

    /**
     * k-means++ seeding step: {@code minDist[i] = min(minDist[i], |x_i - centre|²)}.
     *
     * @param centre  one candidate centre, {@code d} values
     * @param weights per-point weights, or {@code null}
     * @return {@code Σ w_i * minDist[i]} after the update
     */
    double updateNearestDistance(float[] x, int n, int d, float[] weights, float[] centre, float[] minDist);

    /**
     * Greedy k-means++'s trial step: what the potential would become with each candidate centre added,
     * without changing {@code minDist}: {@code potentials[q] = Σ w_i · min(minDist[i], |x_i - candidate_q|²)}.
     * One pass evaluates every candidate, where {@link #updateNearestDistance} would need a pass and a copy
     * of {@code minDist} per candidate.
     *
     * @param candidates {@code t} candidate centres, row-major
     * @param weights    per-point weights, or {@code null}
     * @param potentials out: one total per candidate ({@code t} entries written)
     */
    void candidatePotentials(float[] x, int n, int d, float[] weights, float[] candidates, int t, float[] minDist,
                             double[] potentials);

    /**
     * Blocked pairwise squared distances: {@code out[a * nb + b] = |xa_a - xb_b|²}, where {@code xa}
     * is column-major with {@code na} rows and {@code xb} column-major with {@code nb} rows.
     */
    void pairwiseSquaredDistances(float[] xa, int na, float[] xb, int nb, int d, float[] out);

    /**
     * Sums of Euclidean (not squared) distances, the silhouette's inner loop:
     * {@code sums[a] += Σ_b sqrt(|xa_a - xb_b|²)} for every row {@code a} of {@code xa}, with
     * {@code xa} and {@code xb} column-major as in {@link #pairwiseSquaredDistances}. Each squared
     * distance is evaluated in float and its root added in double; a backend may first add roots in
     * float lanes, over runs of at most 1,024 of them, before they reach the double sum.
     *
     * <p>The default is the scalar reference, so a backend that does not override it is still correct.
     */
    default void pairwiseDistanceSums(float[] xa, int na, float[] xb, int nb, int d, double[] sums) {
        for (int a = 0; a < na; a++) {
            sums[a] += ScalarKernels.distanceSumRange(xa, na, a, xb, nb, d, 0, nb);
        }
    }

    /**
     * Offers to hold a whole dataset where this backend computes, for the many passes of a fit. A
     * backend whose kernels run on the caller's arrays (the CPU backends) returns empty, and the
     * caller calls the per-block methods above instead; a device backend returns a
     * {@link ResidentDataset}, or empty where the data is too small to pay for the transfer.
     *
     * @param maxCentroids the {@code k} of the assignment passes (a device backend compiles its kernels for it)
     * @throws BackendUnavailableException if the backend should hold the data but cannot (for
     *                                     example its kernels fail to compile for the device)
     */
    default Optional<ResidentDataset> upload(PointBlocks points, int maxCentroids) {
        return Optional.empty();
    }

    /**
     * Whether these kernels get faster once the JVM's JIT has compiled them, so that calling them on
     * a small block beforehand pays off ({@code KernelWarmup}). Backends whose kernels the JVM does
     * not compile (a device backend compiles its own, on first use) return {@code false}.
     */
    default boolean benefitsFromJvmWarmup() {
        return true;
    }
}
