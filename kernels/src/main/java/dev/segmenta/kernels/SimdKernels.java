package dev.segmenta.kernels;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KMeansKernels} on the Vector API, vectorised over points: with column-major blocks one
 * {@link FloatVector} holds one feature of {@link SimdConstants#LANES} consecutive points, so a centroid
 * coordinate is broadcast and no horizontal reduction is needed per distance.
 *
 * <p>Distances are {@code Σ (x - c)²} in feature order. Where the CPU has fused multiply-add, each term
 * is added with one FMA (one rounding fewer than {@link ScalarKernels}, measured 10–20% faster on
 * assignment), so near-ties may resolve differently from the reference; otherwise a separate multiply
 * and add make the distances bit-identical to it. Points the vector loops leave over, and the sums for
 * large {@code k}, are handled by the scalar reference code.
 *
 * <p>Work goes in sub-blocks of {@link #SUB_BLOCK} points even where no sums are needed: one call per
 * sub-block keeps the data in cache between assignment and accumulation, and C2 compiled the
 * assignment loop about four times slower when one call covered a whole 16384-row block of 32 features.
 *
 * <p>Created only by {@link SimdKernelProvider}, after its checks, since loading this class initialises
 * the incubator module.
 */
final class SimdKernels implements KMeansKernels {

    private static final VectorSpecies<Float> FLOATS = SimdConstants.FLOATS;
    private static final VectorSpecies<Integer> INTS = SimdConstants.INTS;
    private static final int LANES = SimdConstants.LANES;

    /** The assignment loop works on two vectors of points at a time. */
    private static final int POINT_STEP = 2 * LANES;

    /**
     * Points per sub-block: their features stay in L1/L2 cache between the assignment and the
     * accumulation, and float lane sums over at most this many points lose little precision before
     * they are added to the double totals.
     */
    private static final int SUB_BLOCK = 64 * POINT_STEP;

    /**
     * Up to this many centroids, sums are accumulated with one masked vector add per centroid and
     * feature; above it the scalar point-by-point scatter does less work ({@code d} adds per point
     * instead of {@code k·d/lanes}). Measured break-even at 512 bits: {@code k} = 32, with 8 features.
     * The scatter goes point by point rather than feature by feature because its {@code d} adds per
     * point are independent: a feature-major scatter was 60% slower when consecutive points share a label.
     */
    private static final int MASKED_SUMS_MAX_K = 2 * LANES;

    /** Rows of {@code xb} whose distance roots one float lane collects before they are added in double. */
    private static final int ROOT_RUN = 1024;

    /**
     * Refuses vectors narrower than 128 bits, where the lane count could not pay for the extra work.
     *
     * @throws UnsupportedOperationException if the preferred (or pinned) species is under 128 bits
     */
    SimdKernels() {
        if (FLOATS.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the CPU's preferred vectors are " + FLOATS.vectorBitSize()
                    + "-bit; SIMD kernels need at least 128 bits");
        }
    }

    @Override
    public String name() {
        return "simd";
    }

    /**
     * Describes the vector shape in use; {@link SimdKernelProvider} reports it as the selection's
     * reason without linking against this class.
     */
    @Override
    public String toString() {
        return "Vector API, " + FLOATS.vectorBitSize() + "-bit, " + LANES + " float lanes"
                + (SimdConstants.FAST_FMA ? ", FMA" : ", no FMA");
    }

    @Override
    public double assignAndAccumulate(float[] x, int n, int d, float[] weights, float[] c, int k,
                                      int[] labels, float[] minDist, double[] counts, double[] sums) {
        int vectorEnd = n - n % POINT_STEP;
        double inertia = 0;
        for (int from = 0; from < vectorEnd; from += SUB_BLOCK) {
            int to = Math.min(vectorEnd, from + SUB_BLOCK);
            assignVectors(x, n, d, c, k, labels, minDist, from, to, null);
            inertia += k <= MASKED_SUMS_MAX_K
                    ? accumulateMasked(x, n, d, weights, k, labels, minDist, counts, sums, from, to)
                    : ScalarKernels.accumulateRange(x, n, d, weights, labels, minDist, counts, sums, from, to);
        }
        ScalarKernels.assignRange(x, n, d, c, k, labels, minDist, vectorEnd, n);
        return inertia + ScalarKernels.accumulateRange(x, n, d, weights, labels, minDist, counts, sums, vectorEnd, n);
    }

    @Override
    public double reassign(float[] x, int n, int d, float[] weights, float[] c, int k,
                           int[] labels, float[] minDist, double[] counts, double[] sums) {
        int vectorEnd = n - n % POINT_STEP;
        Moves moves = new Moves(x, n, d, weights, counts, sums, NEW_LABELS.get());
        double inertia = 0;
        for (int from = 0; from < vectorEnd; from += SUB_BLOCK) {
            int to = Math.min(vectorEnd, from + SUB_BLOCK);
            assignVectors(x, n, d, c, k, labels, minDist, from, to, moves);
            inertia += weightedTotal(minDist, 0, weights, from, to);
        }
        return inertia + ScalarKernels.reassignRange(x, n, d, weights, c, k, labels, minDist, counts, sums, vectorEnd, n);
    }

    @Override
    public void assign(float[] x, int n, int d, float[] c, int k, int[] labels, float[] minDist) {
        int vectorEnd = n - n % POINT_STEP;
        for (int from = 0; from < vectorEnd; from += SUB_BLOCK) {
            assignVectors(x, n, d, c, k, labels, minDist, from, Math.min(vectorEnd, from + SUB_BLOCK), null);
        }
        ScalarKernels.assignRange(x, n, d, c, k, labels, minDist, vectorEnd, n);
    }

    @Override
    public double updateNearestDistance(float[] x, int n, int d, float[] weights, float[] centre, float[] minDist) {
        int vectorEnd = FLOATS.loopBound(n);
        double total = 0;
        for (int from = 0; from < vectorEnd; from += SUB_BLOCK) {
            int to = Math.min(vectorEnd, from + SUB_BLOCK);
            for (int i = from; i < to; i += LANES) {
                FloatVector dist = FloatVector.zero(FLOATS);
                for (int f = 0; f < d; f++) {
                    dist = squareAdd(FloatVector.fromArray(FLOATS, x, f * n + i), centre[f], dist);
                }
                FloatVector old = FloatVector.fromArray(FLOATS, minDist, i);
                FloatVector updated = old.blend(dist, dist.lt(old));
                updated.intoArray(minDist, i);
            }
            total += weightedTotal(minDist, 0, weights, from, to);
        }
        return total + ScalarKernels.updateNearestDistanceRange(x, n, d, weights, centre, minDist, vectorEnd, n);
    }

    /**
     * Four candidates at a time share every load of a point vector and of its current nearest distance.
     * The updated distances of one sub-block go to per-thread scratch and are summed in double, as the
     * inertia is: float sums overflow for distances that float still holds, and the Vector API's
     * float-to-double conversion compiled to a slow path here (measured 5x slower than the whole pass).
     */
    @Override
    public void candidatePotentials(float[] x, int n, int d, float[] weights, float[] candidates, int t,
                                    float[] minDist, double[] potentials) {
        int vectorEnd = FLOATS.loopBound(n);
        float[] updated = CANDIDATE_DISTANCES.get();
        Arrays.fill(potentials, 0, t, 0);
        for (int from = 0; from < vectorEnd; from += SUB_BLOCK) {
            int to = Math.min(vectorEnd, from + SUB_BLOCK);
            int q = 0;
            for (; q + 4 <= t; q += 4) {
                int row = q * d;
                for (int i = from; i < to; i += LANES) {
                    FloatVector e0 = FloatVector.zero(FLOATS);
                    FloatVector e1 = e0;
                    FloatVector e2 = e0;
                    FloatVector e3 = e0;
                    for (int f = 0; f < d; f++) {
                        FloatVector p = FloatVector.fromArray(FLOATS, x, f * n + i);
                        e0 = squareAdd(p, candidates[row + f], e0);
                        e1 = squareAdd(p, candidates[row + d + f], e1);
                        e2 = squareAdd(p, candidates[row + 2 * d + f], e2);
                        e3 = squareAdd(p, candidates[row + 3 * d + f], e3);
                    }
                    FloatVector nearest = FloatVector.fromArray(FLOATS, minDist, i);
                    int at = i - from;
                    nearest.blend(e0, e0.lt(nearest)).intoArray(updated, at);
                    nearest.blend(e1, e1.lt(nearest)).intoArray(updated, SUB_BLOCK + at);
                    nearest.blend(e2, e2.lt(nearest)).intoArray(updated, 2 * SUB_BLOCK + at);
                    nearest.blend(e3, e3.lt(nearest)).intoArray(updated, 3 * SUB_BLOCK + at);
                }
                for (int r = 0; r < 4; r++) {
                    potentials[q + r] += weightedTotal(updated, r * SUB_BLOCK - from, weights, from, to);
                }
            }
            for (; q < t; q++) {
                int row = q * d;
                for (int i = from; i < to; i += LANES) {
                    FloatVector e = FloatVector.zero(FLOATS);
                    for (int f = 0; f < d; f++) {
                        e = squareAdd(FloatVector.fromArray(FLOATS, x, f * n + i), candidates[row + f], e);
                    }
                    FloatVector nearest = FloatVector.fromArray(FLOATS, minDist, i);
                    nearest.blend(e, e.lt(nearest)).intoArray(updated, i - from);
                }
                potentials[q] += weightedTotal(updated, -from, weights, from, to);
            }
        }
        if (vectorEnd < n) {
            for (int q = 0; q < t; q++) {
                potentials[q] += ScalarKernels.candidatePotentialRange(x, n, d, weights, candidates, q, minDist, vectorEnd, n);
            }
        }
    }

    @Override
    public void pairwiseSquaredDistances(float[] xa, int na, float[] xb, int nb, int d, float[] out) {
        int vectorEnd = FLOATS.loopBound(nb);
        int a = 0;
        // Four rows of xa share every load of xb.
        for (; a + 4 <= na; a += 4) {
            for (int b = 0; b < vectorEnd; b += LANES) {
                FloatVector s0 = FloatVector.zero(FLOATS);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                for (int f = 0; f < d; f++) {
                    FloatVector q = FloatVector.fromArray(FLOATS, xb, f * nb + b);
                    int row = f * na + a;
                    s0 = squareAdd(q, xa[row], s0);
                    s1 = squareAdd(q, xa[row + 1], s1);
                    s2 = squareAdd(q, xa[row + 2], s2);
                    s3 = squareAdd(q, xa[row + 3], s3);
                }
                s0.intoArray(out, a * nb + b);
                s1.intoArray(out, (a + 1) * nb + b);
                s2.intoArray(out, (a + 2) * nb + b);
                s3.intoArray(out, (a + 3) * nb + b);
            }
            for (int r = a; r < a + 4; r++) {
                ScalarKernels.pairwiseRowRange(xa, na, r, xb, nb, d, out, vectorEnd, nb);
            }
        }
        for (; a < na; a++) {
            for (int b = 0; b < vectorEnd; b += LANES) {
                FloatVector s = FloatVector.zero(FLOATS);
                for (int f = 0; f < d; f++) {
                    s = squareAdd(FloatVector.fromArray(FLOATS, xb, f * nb + b), xa[f * na + a], s);
                }
                s.intoArray(out, a * nb + b);
            }
            ScalarKernels.pairwiseRowRange(xa, na, a, xb, nb, d, out, vectorEnd, nb);
        }
    }

    /**
     * Four rows of {@code xa} share each load of {@code xb}, as in {@link #pairwiseSquaredDistances}; the
     * distances' roots are taken in vector lanes and added in float lanes for {@link #ROOT_RUN} rows of
     * {@code xb} at a time, then in double, so no float sum covers more than {@code ROOT_RUN / LANES} roots.
     */
    @Override
    public void pairwiseDistanceSums(float[] xa, int na, float[] xb, int nb, int d, double[] sums) {
        int vectorEnd = FLOATS.loopBound(nb);
        int a = 0;
        for (; a + 4 <= na; a += 4) {
            double t0 = 0;
            double t1 = 0;
            double t2 = 0;
            double t3 = 0;
            for (int from = 0; from < vectorEnd; from += ROOT_RUN) {
                int to = Math.min(vectorEnd, from + ROOT_RUN);
                FloatVector r0 = FloatVector.zero(FLOATS);
                FloatVector r1 = r0;
                FloatVector r2 = r0;
                FloatVector r3 = r0;
                for (int b = from; b < to; b += LANES) {
                    FloatVector s0 = FloatVector.zero(FLOATS);
                    FloatVector s1 = s0;
                    FloatVector s2 = s0;
                    FloatVector s3 = s0;
                    for (int f = 0; f < d; f++) {
                        FloatVector q = FloatVector.fromArray(FLOATS, xb, f * nb + b);
                        int row = f * na + a;
                        s0 = squareAdd(q, xa[row], s0);
                        s1 = squareAdd(q, xa[row + 1], s1);
                        s2 = squareAdd(q, xa[row + 2], s2);
                        s3 = squareAdd(q, xa[row + 3], s3);
                    }
                    r0 = r0.add(s0.sqrt());
                    r1 = r1.add(s1.sqrt());
                    r2 = r2.add(s2.sqrt());
                    r3 = r3.add(s3.sqrt());
                }
                t0 += laneSum(r0);
                t1 += laneSum(r1);
                t2 += laneSum(r2);
                t3 += laneSum(r3);
            }
            sums[a] += t0 + ScalarKernels.distanceSumRange(xa, na, a, xb, nb, d, vectorEnd, nb);
            sums[a + 1] += t1 + ScalarKernels.distanceSumRange(xa, na, a + 1, xb, nb, d, vectorEnd, nb);
            sums[a + 2] += t2 + ScalarKernels.distanceSumRange(xa, na, a + 2, xb, nb, d, vectorEnd, nb);
            sums[a + 3] += t3 + ScalarKernels.distanceSumRange(xa, na, a + 3, xb, nb, d, vectorEnd, nb);
        }
        for (; a < na; a++) {
            double total = 0;
            for (int from = 0; from < vectorEnd; from += ROOT_RUN) {
                int to = Math.min(vectorEnd, from + ROOT_RUN);
                FloatVector r = FloatVector.zero(FLOATS);
                for (int b = from; b < to; b += LANES) {
                    FloatVector s = FloatVector.zero(FLOATS);
                    for (int f = 0; f < d; f++) {
                        s = squareAdd(FloatVector.fromArray(FLOATS, xb, f * nb + b), xa[f * na + a], s);
                    }
                    r = r.add(s.sqrt());
                }
                total += laneSum(r);
            }
            sums[a] += total + ScalarKernels.distanceSumRange(xa, na, a, xb, nb, d, vectorEnd, nb);
        }
    }

    /**
     * Nearest centroid for points {@code [from, to)}, a multiple of {@link #POINT_STEP} long. Four
     * centroids by two point vectors are computed at once, so every load of a point vector and every
     * broadcast of a centroid coordinate feeds several distances; the running minimum is then updated
     * centroid by centroid in index order with a strict {@code <}, which keeps the lowest index on ties.
     * With {@code moves}, every point whose label changes is moved in the running totals first.
     */
    private static void assignVectors(float[] x, int n, int d, float[] c, int k, int[] labels, float[] minDist,
                                      int from, int to, Moves moves) {
        for (int i = from; i < to; i += POINT_STEP) {
            FloatVector best0 = FloatVector.broadcast(FLOATS, Float.POSITIVE_INFINITY);
            FloatVector best1 = best0;
            IntVector label0 = IntVector.zero(INTS);
            IntVector label1 = label0;
            int j = 0;
            for (; j + 4 <= k; j += 4) {
                FloatVector s00 = FloatVector.zero(FLOATS);
                FloatVector s01 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                FloatVector s20 = s00;
                FloatVector s21 = s00;
                FloatVector s30 = s00;
                FloatVector s31 = s00;
                int row = j * d;
                for (int f = 0; f < d; f++) {
                    FloatVector p0 = FloatVector.fromArray(FLOATS, x, f * n + i);
                    FloatVector p1 = FloatVector.fromArray(FLOATS, x, f * n + i + LANES);
                    float c0 = c[row + f];
                    float c1 = c[row + d + f];
                    float c2 = c[row + 2 * d + f];
                    float c3 = c[row + 3 * d + f];
                    s00 = squareAdd(p0, c0, s00);
                    s01 = squareAdd(p1, c0, s01);
                    s10 = squareAdd(p0, c1, s10);
                    s11 = squareAdd(p1, c1, s11);
                    s20 = squareAdd(p0, c2, s20);
                    s21 = squareAdd(p1, c2, s21);
                    s30 = squareAdd(p0, c3, s30);
                    s31 = squareAdd(p1, c3, s31);
                }
                VectorMask<Float> m0 = s00.lt(best0);
                best0 = best0.blend(s00, m0);
                label0 = label0.blend(j, m0.cast(INTS));
                VectorMask<Float> m1 = s01.lt(best1);
                best1 = best1.blend(s01, m1);
                label1 = label1.blend(j, m1.cast(INTS));
                m0 = s10.lt(best0);
                best0 = best0.blend(s10, m0);
                label0 = label0.blend(j + 1, m0.cast(INTS));
                m1 = s11.lt(best1);
                best1 = best1.blend(s11, m1);
                label1 = label1.blend(j + 1, m1.cast(INTS));
                m0 = s20.lt(best0);
                best0 = best0.blend(s20, m0);
                label0 = label0.blend(j + 2, m0.cast(INTS));
                m1 = s21.lt(best1);
                best1 = best1.blend(s21, m1);
                label1 = label1.blend(j + 2, m1.cast(INTS));
                m0 = s30.lt(best0);
                best0 = best0.blend(s30, m0);
                label0 = label0.blend(j + 3, m0.cast(INTS));
                m1 = s31.lt(best1);
                best1 = best1.blend(s31, m1);
                label1 = label1.blend(j + 3, m1.cast(INTS));
            }
            for (; j < k; j++) {
                FloatVector s0 = FloatVector.zero(FLOATS);
                FloatVector s1 = s0;
                int row = j * d;
                for (int f = 0; f < d; f++) {
                    float cf = c[row + f];
                    s0 = squareAdd(FloatVector.fromArray(FLOATS, x, f * n + i), cf, s0);
                    s1 = squareAdd(FloatVector.fromArray(FLOATS, x, f * n + i + LANES), cf, s1);
                }
                VectorMask<Float> m0 = s0.lt(best0);
                best0 = best0.blend(s0, m0);
                label0 = label0.blend(j, m0.cast(INTS));
                VectorMask<Float> m1 = s1.lt(best1);
                best1 = best1.blend(s1, m1);
                label1 = label1.blend(j, m1.cast(INTS));
            }
            best0.intoArray(minDist, i);
            best1.intoArray(minDist, i + LANES);
            if (moves != null) {
                // Inline, so that the label vectors stay in registers; only changed points leave them.
                long changed = label0.compare(VectorOperators.NE, IntVector.fromArray(INTS, labels, i)).toLong()
                        | label1.compare(VectorOperators.NE, IntVector.fromArray(INTS, labels, i + LANES)).toLong() << LANES;
                if (changed != 0) {
                    label0.intoArray(moves.newLabels, 0);
                    label1.intoArray(moves.newLabels, LANES);
                    moves.apply(labels, i, changed);
                }
            }
            label0.intoArray(labels, i);
            label1.intoArray(labels, i + LANES);
        }
    }

    /** Per-thread scratch for four candidates' updated distances over one sub-block. */
    private static final ThreadLocal<float[]> CANDIDATE_DISTANCES = ThreadLocal.withInitial(() -> new float[4 * SUB_BLOCK]);

    /** Per-thread scratch for the new labels of one step of points whose old labels are still in place. */
    private static final ThreadLocal<int[]> NEW_LABELS = ThreadLocal.withInitial(() -> new int[POINT_STEP]);

    /** The running totals {@link #reassign} keeps up to date, and what it needs to move a point in them. */
    private record Moves(float[] x, int n, int d, float[] weights, double[] counts, double[] sums, int[] newLabels) {

        /**
         * Moves the points {@code i + b} for every bit {@code b} set in {@code changed}, whose new labels
         * are in {@link #newLabels} and old ones still in {@code labels}, in point order (the scalar
         * reference's order). After the first iterations most steps have none.
         */
        void apply(int[] labels, int i, long changed) {
            for (long bits = changed; bits != 0; bits &= bits - 1) {
                int lane = Long.numberOfTrailingZeros(bits);
                ScalarKernels.move(x, n, d, weights, i + lane, labels[i + lane], newLabels[lane], counts, sums);
            }
        }
    }

    /**
     * Counts, sums and inertia of the already assigned points {@code [from, to)}, at most
     * {@link #SUB_BLOCK} of them and a multiple of the lane count. For each centroid, a lane mask
     * selects its points and masked adds collect them into float lanes, reduced once per sub-block
     * into the double totals: no scatter, so no store-to-load dependency between points with the
     * same label. (Float lanes hold sums of at most {@code SUB_BLOCK / LANES} coordinates, so they
     * overflow only for coordinates whose squares would already overflow the distances.)
     */
    private static double accumulateMasked(float[] x, int n, int d, float[] weights, int k, int[] labels,
                                           float[] minDist, double[] counts, double[] sums, int from, int to) {
        for (int j = 0; j < k; j++) {
            if (weights == null) {
                int count = 0;
                for (int i = from; i < to; i += LANES) {
                    count += IntVector.fromArray(INTS, labels, i).eq(j).trueCount();
                }
                counts[j] += count;
            } else {
                FloatVector weight = FloatVector.zero(FLOATS);
                for (int i = from; i < to; i += LANES) {
                    weight = weight.add(FloatVector.fromArray(FLOATS, weights, i), labelMask(labels, i, j));
                }
                counts[j] += laneSum(weight);
            }
            int row = j * d;
            int f = 0;
            for (; f + 4 <= d; f += 4) {
                FloatVector s0 = FloatVector.zero(FLOATS);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                for (int i = from; i < to; i += LANES) {
                    VectorMask<Float> mine = labelMask(labels, i, j);
                    int at = f * n + i;
                    s0 = s0.add(weighted(FloatVector.fromArray(FLOATS, x, at), weights, i), mine);
                    s1 = s1.add(weighted(FloatVector.fromArray(FLOATS, x, at + n), weights, i), mine);
                    s2 = s2.add(weighted(FloatVector.fromArray(FLOATS, x, at + 2 * n), weights, i), mine);
                    s3 = s3.add(weighted(FloatVector.fromArray(FLOATS, x, at + 3 * n), weights, i), mine);
                }
                sums[row + f] += laneSum(s0);
                sums[row + f + 1] += laneSum(s1);
                sums[row + f + 2] += laneSum(s2);
                sums[row + f + 3] += laneSum(s3);
            }
            for (; f < d; f++) {
                FloatVector s = FloatVector.zero(FLOATS);
                for (int i = from; i < to; i += LANES) {
                    s = s.add(weighted(FloatVector.fromArray(FLOATS, x, f * n + i), weights, i), labelMask(labels, i, j));
                }
                sums[row + f] += laneSum(s);
            }
        }
        return weightedTotal(minDist, 0, weights, from, to);
    }

    /**
     * The lanes' sum in lane order, in double. {@code reduceLanes(ADD)} leaves the order open, and C2's
     * intrinsic and the interpreter do combine lanes differently: the same block would give sums that
     * differ in the last bit before and after JIT compilation, breaking run-to-run determinism.
     */
    private static double laneSum(FloatVector v) {
        double sum = 0;
        for (int lane = 0; lane < LANES; lane++) {
            sum += v.lane(lane);
        }
        return sum;
    }

    private static VectorMask<Float> labelMask(int[] labels, int i, int j) {
        return IntVector.fromArray(INTS, labels, i).eq(j).cast(FLOATS);
    }

    /**
     * {@code Σ w_i · values[offset + i]} over {@code [from, to)}, a multiple of four long, in double: a
     * float sum of squared distances overflows long before the distances do. Four partial sums keep the
     * adds independent; widening in vector lanes instead compiled to boxed vectors in some C2 runs (8× slower).
     */
    private static double weightedTotal(float[] values, int offset, float[] weights, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int i = from; i < to; i += 4) {
            s0 += weight(weights, i) * values[offset + i];
            s1 += weight(weights, i + 1) * values[offset + i + 1];
            s2 += weight(weights, i + 2) * values[offset + i + 2];
            s3 += weight(weights, i + 3) * values[offset + i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double weight(float[] weights, int i) {
        return weights == null ? 1.0 : weights[i];
    }

    private static FloatVector weighted(FloatVector v, float[] weights, int i) {
        return weights == null ? v : v.mul(FloatVector.fromArray(FLOATS, weights, i));
    }

    /**
     * {@code acc + (p - centre)²} lane by lane. Without hardware FMA the Vector API would emulate it
     * lane by lane, so the separate multiply and add are used there instead.
     */
    private static FloatVector squareAdd(FloatVector p, float centre, FloatVector acc) {
        FloatVector diff = p.sub(centre);
        return SimdConstants.FAST_FMA ? diff.fma(diff, acc) : diff.mul(diff).add(acc);
    }
}
