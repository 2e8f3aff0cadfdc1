package dev.segmenta.kernels.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
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
 * <p><b>Straight-line point code.</b> The per-point pass is written with a {@link KernelContext} (one
 * work item per point, no loop around it, no branch around a load or store) and, for a resident
 * dataset, with {@code k} fixed when the graph is compiled: TornadoVM then unrolls the centroid and
 * feature loops, and a CPU OpenCL driver (PoCL) can vectorise across work items. With a
 * {@code @Parallel} loop, with {@code k} read at run time, or with the stores under a branch, the
 * same pass ran 3 to 6 times slower on PoCL.
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

    /** Modes; the two assignment modes come first ({@code mode <= ACCUMULATE}). */
    static final int ASSIGN = 1;
    static final int ACCUMULATE = 2;
    static final int NEAREST = 3;
    static final int CANDIDATES = 4;

    private DeviceKernels() {
    }

    /**
     * Per point, in modes {@link #ASSIGN} and {@link #ACCUMULATE}: the nearest of the centroids (the first
     * strict minimum, from +∞) into {@code labels} and its squared distance into {@code dist}. In mode
     * {@link #NEAREST}: {@code dist = min(dist, |x - centres[0..d)|²)}, starting from +∞ when
     * {@code control[RESET]} is 1. Padding rows are computed too (nothing reads them).
     *
     * <p>The body has no branch around a load or a store: every work item computes both results and
     * stores what its mode selects. A CPU OpenCL driver (PoCL) vectorises across work items only
     * then; with the stores under {@code if (mode == ...)}, even a branch every work item takes alike,
     * the pass ran 3 to 6 times slower. (Conditions never combine {@code ||} with an else-if chain either:
     * TornadoVM 5.2 misplaces such a chain's merge block, and work of one mode then also ran in another.)
     *
     * @param fixedK the number of centroids when it is fixed at compile time, or 0 to read {@code control[K]}
     */
    static void pointPass(KernelContext context, IntArray control, FloatArray x, FloatArray centres, IntArray labels,
                          FloatArray dist, int stride, int d, int fixedK) {
        int p = context.globalIdx;
        int slot = p / stride;
        int base = slot * d * stride + p - slot * stride;
        int mode = control.get(MODE);
        int k = fixedK > 0 ? fixedK : control.get(K);
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
        float toCentre = 0f;
        for (int f = 0; f < d; f++) {
            float diff = x.get(base + f * stride) - centres.get(f);
            toCentre += diff * diff;
        }
        float old = dist.get(p);
        int oldLabel = labels.get(p);
        float nearest = control.get(RESET) == 1 ? Float.POSITIVE_INFINITY : old;
        nearest = toCentre < nearest ? toCentre : nearest;
        boolean assigning = mode <= ACCUMULATE;
        float assigned = assigning ? best : old;
        dist.set(p, mode == NEAREST ? nearest : assigned);
        labels.set(p, assigning ? label : oldLabel);
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

    /**
     * {@code Σ w_i · dist_i} over one slot's points, in row order, in double. Two plain ifs, not if-else:
     * TornadoVM 5.2 compiled an if-else with a loop in each arm so that the weighted arm never ran.
     */
    private static double weightedDistances(FloatArray weights, FloatArray dist, boolean weighted, int first, int n) {
        double total = 0;
        if (weighted) {
            for (int i = 0; i < n; i++) {
                total += (double) weights.get(first + i) * dist.get(first + i);
            }
        }
        if (!weighted) {
            for (int i = 0; i < n; i++) {
                total += dist.get(first + i);
            }
        }
        return total;
    }

    /**
     * Lane {@code lane < d}: each centroid's weighted sum of feature {@code lane}; lane {@code d}: each
     * centroid's weight. The choices that are the same for every point (weighted or not, feature or
     * weight) are made once, outside the loops: a branch per point in the loop made the pass several
     * times slower on PoCL.
     */
    private static void accumulateLane(IntArray control, FloatArray x, FloatArray weights, IntArray labels, DoubleArray out,
                                       boolean weighted, int slot, int lane, int first, int at, int n, int stride, int d) {
        int k = control.get(K);
        for (int j = 0; j < k; j++) {
            out.set(at + j * (d + 1) + lane, 0);
        }
        int column = (slot * d + lane) * stride;
        int offset = at + lane;
        if (lane == d && weighted) {
            for (int i = 0; i < n; i++) {
                int o = offset + labels.get(first + i) * (d + 1);
                out.set(o, out.get(o) + weights.get(first + i));
            }
        }
        if (lane == d && !weighted) {
            for (int i = 0; i < n; i++) {
                int o = offset + labels.get(first + i) * (d + 1);
                out.set(o, out.get(o) + 1);
            }
        }
        if (lane < d && weighted) {
            for (int i = 0; i < n; i++) {
                int o = offset + labels.get(first + i) * (d + 1);
                out.set(o, out.get(o) + (double) weights.get(first + i) * x.get(column + i));
            }
        }
        if (lane < d && !weighted) {
            for (int i = 0; i < n; i++) {
                int o = offset + labels.get(first + i) * (d + 1);
                out.set(o, out.get(o) + x.get(column + i));
            }
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
            float lowered = s < old ? s : old;
            total += weighted ? (double) weights.get(first + i) * lowered : lowered;
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
