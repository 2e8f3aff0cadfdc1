package dev.segmenta.kernels;

/**
 * Reference implementation of {@link KMeansKernels}: plain loops, one point at a time.
 *
 * <p>Every other backend is tested against this class, so it favours being obviously correct over
 * being fast: the distance to a centroid is {@code Σ (x - c)²} summed feature by feature in float,
 * the nearest centroid is the first strict minimum (ties go to the lowest index), and every sum over
 * points is accumulated in double. Its range helpers are package-private so that faster backends
 * can reuse them for the tails their vector loops leave over.
 */
public final class ScalarKernels implements KMeansKernels {

    /** Creates the reference kernels; the instance is stateless and may be shared by threads. */
    public ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public double assignAndAccumulate(float[] x, int n, int d, float[] weights, float[] c, int k,
                                      int[] labels, float[] minDist, double[] counts, double[] sums) {
        assignRange(x, n, d, c, k, labels, minDist, 0, n);
        return accumulateRange(x, n, d, weights, labels, minDist, counts, sums, 0, n);
    }

    @Override
    public double reassign(float[] x, int n, int d, float[] weights, float[] c, int k,
                           int[] labels, float[] minDist, double[] counts, double[] sums) {
        return reassignRange(x, n, d, weights, c, k, labels, minDist, counts, sums, 0, n);
    }

    @Override
    public void assign(float[] x, int n, int d, float[] c, int k, int[] labels, float[] minDist) {
        assignRange(x, n, d, c, k, labels, minDist, 0, n);
    }

    @Override
    public double updateNearestDistance(float[] x, int n, int d, float[] weights, float[] centre, float[] minDist) {
        return updateNearestDistanceRange(x, n, d, weights, centre, minDist, 0, n);
    }

    @Override
    public void candidatePotentials(float[] x, int n, int d, float[] weights, float[] candidates, int t,
                                    float[] minDist, double[] potentials) {
        for (int q = 0; q < t; q++) {
            potentials[q] = candidatePotentialRange(x, n, d, weights, candidates, q, minDist, 0, n);
        }
    }

    @Override
    public void pairwiseSquaredDistances(float[] xa, int na, float[] xb, int nb, int d, float[] out) {
        for (int a = 0; a < na; a++) {
            pairwiseRowRange(xa, na, a, xb, nb, d, out, 0, nb);
        }
    }

    /** Squared distance from point {@code i} of the column-major block to row {@code row} of the row-major {@code c}. */
    static float squaredDistance(float[] x, int n, int d, int i, float[] c, int row) {
        float sum = 0f;
        int base = row * d;
        for (int f = 0; f < d; f++) {
            float diff = x[f * n + i] - c[base + f];
            sum += diff * diff;
        }
        return sum;
    }

    /** Nearest centroid for points {@code [from, to)}; starting from +∞ with a strict {@code <} keeps the lowest index on ties. */
    static void assignRange(float[] x, int n, int d, float[] c, int k, int[] labels, float[] minDist, int from, int to) {
        for (int i = from; i < to; i++) {
            float best = Float.POSITIVE_INFINITY;
            int bestIndex = 0;
            for (int j = 0; j < k; j++) {
                float dist = squaredDistance(x, n, d, i, c, j);
                if (dist < best) {
                    best = dist;
                    bestIndex = j;
                }
            }
            labels[i] = bestIndex;
            minDist[i] = best;
        }
    }

    /** Adds the counts, sums and weighted inertia of points {@code [from, to)}, whose labels are already set. */
    static double accumulateRange(float[] x, int n, int d, float[] weights, int[] labels, float[] minDist,
                                  double[] counts, double[] sums, int from, int to) {
        double inertia = 0;
        for (int i = from; i < to; i++) {
            double w = weights == null ? 1.0 : weights[i];
            int j = labels[i];
            counts[j] += w;
            int base = j * d;
            for (int f = 0; f < d; f++) {
                sums[base + f] += w * x[f * n + i];
            }
            inertia += w * minDist[i];
        }
        return inertia;
    }

    /** {@link #reassign} for points {@code [from, to)}; returns their weighted inertia. */
    static double reassignRange(float[] x, int n, int d, float[] weights, float[] c, int k, int[] labels,
                                float[] minDist, double[] counts, double[] sums, int from, int to) {
        double inertia = 0;
        for (int i = from; i < to; i++) {
            int previous = labels[i];
            assignRange(x, n, d, c, k, labels, minDist, i, i + 1);
            if (labels[i] != previous) {
                move(x, n, d, weights, i, previous, labels[i], counts, sums);
            }
            inertia += (weights == null ? 1.0 : weights[i]) * minDist[i];
        }
        return inertia;
    }

    /**
     * Moves point {@code i}'s weight and coordinates from segment {@code from}'s totals to segment
     * {@code to}'s, as {@link #reassign} does; public so that the engine's empty-cluster repair keeps
     * running totals the same way.
     */
    public static void move(float[] x, int n, int d, float[] weights, int i, int from, int to, double[] counts, double[] sums) {
        double w = weights == null ? 1.0 : weights[i];
        counts[from] -= w;
        counts[to] += w;
        int fromBase = from * d;
        int toBase = to * d;
        for (int f = 0; f < d; f++) {
            double v = w * x[f * n + i];
            sums[fromBase + f] -= v;
            sums[toBase + f] += v;
        }
    }

    /** The k-means++ update for points {@code [from, to)}; returns their weighted sum of updated distances. */
    static double updateNearestDistanceRange(float[] x, int n, int d, float[] weights, float[] centre, float[] minDist,
                                             int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) {
            float dist = squaredDistance(x, n, d, i, centre, 0);
            if (dist < minDist[i]) {
                minDist[i] = dist;
            }
            total += (weights == null ? 1.0 : weights[i]) * minDist[i];
        }
        return total;
    }

    /** {@code Σ w_i · min(minDist[i], |x_i - candidate_q|²)} over points {@code [from, to)}. */
    static double candidatePotentialRange(float[] x, int n, int d, float[] weights, float[] candidates, int q,
                                          float[] minDist, int from, int to) {
        double total = 0;
        for (int i = from; i < to; i++) {
            float dist = squaredDistance(x, n, d, i, candidates, q);
            total += (weights == null ? 1.0 : weights[i]) * (dist < minDist[i] ? dist : minDist[i]);
        }
        return total;
    }

    /** Distances from row {@code a} of {@code xa} to rows {@code [from, to)} of {@code xb}. */
    static void pairwiseRowRange(float[] xa, int na, int a, float[] xb, int nb, int d, float[] out, int from, int to) {
        int rowBase = a * nb;
        for (int b = from; b < to; b++) {
            float sum = 0f;
            for (int f = 0; f < d; f++) {
                float diff = xa[f * na + a] - xb[f * nb + b];
                sum += diff * diff;
            }
            out[rowBase + b] = sum;
        }
    }

    /** {@code Σ sqrt(|xa_a - xb_b|²)} over rows {@code [from, to)} of {@code xb}: float distances, double sum. */
    static double distanceSumRange(float[] xa, int na, int a, float[] xb, int nb, int d, int from, int to) {
        double total = 0;
        for (int b = from; b < to; b++) {
            float sum = 0f;
            for (int f = 0; f < d; f++) {
                float diff = xa[f * na + a] - xb[f * nb + b];
                sum += diff * diff;
            }
            total += Math.sqrt(sum);
        }
        return total;
    }
}
