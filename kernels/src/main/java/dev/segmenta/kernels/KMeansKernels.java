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
 *   <li>Methods are allocation-free and never retain their arguments; an instance may be shared by threads.</li>
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
     * Blocked pairwise squared distances: {@code out[a * nb + b] = |xa_a - xb_b|²}, where {@code xa}
     * is column-major with {@code na} rows and {@code xb} column-major with {@code nb} rows.
     */
    void pairwiseSquaredDistances(float[] xa, int na, float[] xb, int nb, int d, float[] out);

    /**
     * Offers to hold a whole dataset where this backend computes, for the many passes of a fit. A
     * backend whose kernels run on the caller's arrays (the CPU backends) returns empty, and the
     * caller calls the per-block methods above instead; a device backend returns a
     * {@link ResidentDataset}, or empty where the data is too small to pay for the transfer.
     *
     * @param maxCentroids the largest {@code k} the passes will use (a hint for sizing buffers)
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
