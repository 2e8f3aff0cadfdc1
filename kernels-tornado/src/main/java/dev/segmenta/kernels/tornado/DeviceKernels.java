package dev.segmenta.kernels.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The k-means kernels as TornadoVM compiles them: two passes, one per point and one per block, that
 * together do every operation of the kernel contract. They are plain Java (TornadoVM JIT-compiles
 * the {@code @Parallel} loops to OpenCL or PTX) and run unchanged as Java in the tests.
 *
 * <p><b>Device layout.</b> The dataset's blocks occupy fixed-size slots of {@code stride} rows; slot
 * {@code s} is column-major like a block: feature {@code f} of its row {@code i} is
 * {@code x[(s * d + f) * stride + i]}, and per-point arrays hold that row at {@code s * stride + i}.
 * {@code rows[s]} says how many rows of the slot are real; the rest is padding that no pass reads.
 *
 * <p><b>No atomics, fixed order.</b> The per-block pass gives each work item its own output and a
 * fixed loop over its block's points, so every partial sum is computed in the same order on every
 * run and device (PoCL has no float atomics, and atomics would make the sums depend on scheduling).
 * Sums are accumulated in double: a block of 16,384 float partial sums of squared distances can
 * overflow a float long before the distances do. The host merges the per-block results in block order.
 *
 * <p><b>One graph, several modes.</b> TornadoVM shares device buffers between task graphs only along
 * a chain of graphs, while a fit alternates seeding and Lloyd passes; so both passes sit in one task
 * graph and {@code control[MODE]} says what this execution computes. A pass with nothing to do in a
 * mode returns at once.
 */
final class DeviceKernels {

    /** {@code control} slots: what to compute, then its parameters. */
    static final int MODE = 0;
    static final int K = 1;
    static final int TRIALS = 2;
    static final int WEIGHTED = 3;
    static final int RESET = 4;
    static final int CONTROL_SIZE = 5;

    /** Modes. */
    static final int ASSIGN = 1;
    static final int ACCUMULATE = 2;
    static final int NEAREST = 3;
    static final int CANDIDATES = 4;

    private DeviceKernels() {
    }

    /**
     * Per point, in modes {@link #ASSIGN} and {@link #ACCUMULATE}: the nearest of the {@code control[K]}
     * centroids (the first strict minimum, from +∞) into {@code labels} and its squared distance into
     * {@code dist}. In mode {@link #NEAREST}: {@code dist = min(dist, |x - centres[0..d)|²)}, starting
     * from +∞ when {@code control[RESET]} is 1.
     *
     * <p>Each mode's work sits under its own {@code if}, never under a condition joined with
     * {@code ||} or {@code &&}: TornadoVM 5.2's OpenCL code generator misplaces the merge block of
     * such a condition inside an if-else chain, and the next branch's work then also ran in modes it
     * does not belong to.
     *
     * @param points {@code slots * stride}
     */
    static void pointPass(IntArray control, FloatArray x, IntArray rows, FloatArray centres, IntArray labels,
                          FloatArray dist, int points, int stride, int d) {
        for (@Parallel int p = 0; p < points; p++) {
            int slot = p / stride;
            int i = p - slot * stride;
            int mode = control.get(MODE);
            if (i < rows.get(slot)) {
                int base = slot * d * stride + i;
                if (mode == NEAREST) {
                    lowerNearest(control, x, centres, dist, p, base, stride, d);
                }
                if (mode == ASSIGN) {
                    assignPoint(control, x, centres, labels, dist, p, base, stride, d);
                }
                if (mode == ACCUMULATE) {
                    assignPoint(control, x, centres, labels, dist, p, base, stride, d);
                }
            }
        }
    }

    private static void lowerNearest(IntArray control, FloatArray x, FloatArray centres, FloatArray dist, int p,
                                     int base, int stride, int d) {
        float s = 0f;
        for (int f = 0; f < d; f++) {
            float diff = x.get(base + f * stride) - centres.get(f);
            s += diff * diff;
        }
        float old = control.get(RESET) == 1 ? Float.POSITIVE_INFINITY : dist.get(p);
        dist.set(p, s < old ? s : old);
    }

    private static void assignPoint(IntArray control, FloatArray x, FloatArray centres, IntArray labels,
                                    FloatArray dist, int p, int base, int stride, int d) {
        int k = control.get(K);
        float best = Float.POSITIVE_INFINITY;
        int label = 0;
        for (int j = 0; j < k; j++) {
            float s = 0f;
            for (int f = 0; f < d; f++) {
                float diff = x.get(base + f * stride) - centres.get(j * d + f);
                s += diff * diff;
            }
            if (s < best) {
                best = s;
                label = j;
            }
        }
        labels.set(p, label);
        dist.set(p, best);
    }

    /**
     * Per block, one work item per (slot, lane), each looping over its slot's points in row order and
     * writing only its own outputs {@code out[slot * width + ...]}:
     * <ul>
     *   <li>{@link #ACCUMULATE}: lane {@code f < d} the weighted sum of feature {@code f} per centroid
     *       at {@code j * (d + 1) + f}; lane {@code d} the weight per centroid at {@code j * (d + 1) + d};
     *       lane {@code d + 1} the weighted inertia at {@code width - 1}.</li>
     *   <li>{@link #ASSIGN} and {@link #NEAREST}: lane 0 the weighted sum of {@code dist} at 0.</li>
     *   <li>{@link #CANDIDATES}: lane {@code t < control[TRIALS]} the weighted sum of
     *       {@code min(dist, |x - centres[t]|²)} at {@code t}, leaving {@code dist} as it is.</li>
     * </ul>
     * As in {@link #pointPass}, every mode has its own plain {@code if}.
     */
    static void blockPass(IntArray control, FloatArray x, FloatArray weights, IntArray rows, FloatArray centres,
                          IntArray labels, FloatArray dist, DoubleArray out, int slots, int lanes, int stride, int d,
                          int width) {
        for (@Parallel int slot = 0; slot < slots; slot++) {
            for (@Parallel int lane = 0; lane < lanes; lane++) {
                int mode = control.get(MODE);
                int n = rows.get(slot);
                int first = slot * stride;
                int at = slot * width;
                boolean weighted = control.get(WEIGHTED) == 1;
                if (mode == ACCUMULATE) {
                    if (lane == d + 1) {
                        out.set(at + width - 1, weightedDistances(weights, dist, weighted, first, n));
                    }
                    if (lane <= d) {
                        accumulateLane(control, x, weights, labels, out, weighted, slot, lane, first, at, n, stride, d);
                    }
                }
                if (mode == ASSIGN) {
                    if (lane == 0) {
                        out.set(at, weightedDistances(weights, dist, weighted, first, n));
                    }
                }
                if (mode == NEAREST) {
                    if (lane == 0) {
                        out.set(at, weightedDistances(weights, dist, weighted, first, n));
                    }
                }
                if (mode == CANDIDATES) {
                    if (lane < control.get(TRIALS)) {
                        out.set(at + lane, candidatePotential(x, weights, centres, dist, weighted, slot, lane, first, n,
                                stride, d));
                    }
                }
            }
        }
    }

    /** {@code Σ w_i · dist_i} over one slot's points, in row order, in double. */
    private static double weightedDistances(FloatArray weights, FloatArray dist, boolean weighted, int first, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            float w = weighted ? weights.get(first + i) : 1f;
            total += (double) w * dist.get(first + i);
        }
        return total;
    }

    /** Lane {@code lane < d}: each centroid's weighted sum of feature {@code lane}; lane {@code d}: each centroid's weight. */
    private static void accumulateLane(IntArray control, FloatArray x, FloatArray weights, IntArray labels, DoubleArray out,
                                       boolean weighted, int slot, int lane, int first, int at, int n, int stride, int d) {
        int k = control.get(K);
        for (int j = 0; j < k; j++) {
            out.set(at + j * (d + 1) + lane, 0);
        }
        int column = (slot * d + lane) * stride;
        for (int i = 0; i < n; i++) {
            float w = weighted ? weights.get(first + i) : 1f;
            int o = at + labels.get(first + i) * (d + 1) + lane;
            double v = lane == d ? (double) w : (double) w * x.get(column + i);
            out.set(o, out.get(o) + v);
        }
    }

    /** {@code Σ w_i · min(dist_i, |x_i - centres[t]|²)} over one slot's points, in row order, in double. */
    private static double candidatePotential(FloatArray x, FloatArray weights, FloatArray centres, FloatArray dist,
                                             boolean weighted, int slot, int t, int first, int n, int stride, int d) {
        double total = 0;
        int base = slot * d * stride;
        for (int i = 0; i < n; i++) {
            float s = 0f;
            for (int f = 0; f < d; f++) {
                float diff = x.get(base + f * stride + i) - centres.get(t * d + f);
                s += diff * diff;
            }
            float old = dist.get(first + i);
            float w = weighted ? weights.get(first + i) : 1f;
            total += (double) w * (s < old ? s : old);
        }
        return total;
    }

    /**
     * Pairwise squared distances between the first {@code shape[0]} columns-major rows of {@code xa}
     * (capacity {@code capA}) and the first {@code shape[1]} of {@code xb} (capacity {@code capB}),
     * into {@code out[a * capB + b]}.
     */
    static void pairwise(IntArray shape, FloatArray xa, FloatArray xb, FloatArray out, int capA, int capB, int d) {
        for (@Parallel int a = 0; a < capA; a++) {
            for (@Parallel int b = 0; b < capB; b++) {
                if (a < shape.get(0) && b < shape.get(1)) {
                    float s = 0f;
                    for (int f = 0; f < d; f++) {
                        float diff = xa.get(f * capA + a) - xb.get(f * capB + b);
                        s += diff * diff;
                    }
                    out.set(a * capB + b, s);
                }
            }
        }
    }
}
