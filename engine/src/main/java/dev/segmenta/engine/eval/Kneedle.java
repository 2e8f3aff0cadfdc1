package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;

import java.util.OptionalInt;

/**
 * The knee ("elbow") of a convex, decreasing curve such as inertia against k, by the offline Kneedle
 * method of Satopää, Albrecht, Irwin and Raghavan (2011).
 *
 * <p>Both axes are normalised to [0, 1] and the curve is flipped into a concave, increasing one
 * ({@code y' = 1 − y}); the difference curve {@code D = y' − x} then peaks where the curve bends most
 * against the straight line through its ends. A local maximum of {@code D} is the knee once {@code D}
 * falls below the threshold {@code D_max − S · mean Δx} before the next local maximum; reaching a
 * local minimum first resets the threshold to 0, as in the paper. Local extrema use {@code ≥}/{@code ≤}
 * with the ends compared to themselves, and no smoothing is applied, which is what the reference
 * Python implementation ({@code kneed}) does by default, so the two pick the same knee.
 */
@Reference(authors = "V. Satopää, J. Albrecht, D. Irwin, B. Raghavan",
        title = "Finding a \"Kneedle\" in a Haystack: Detecting Knee Points in System Behavior",
        booktitle = "31st International Conference on Distributed Computing Systems Workshops (ICDCSW)",
        year = 2011,
        url = "https://doi.org/10.1109/ICDCSW.2011.20")
public final class Kneedle {

    /** The paper's recommended sensitivity for offline use: larger values wait for a more pronounced knee. */
    public static final double DEFAULT_SENSITIVITY = 1.0;

    private static final double BEND_EPSILON = 1e-9;

    private Kneedle() {
    }

    /**
     * @param x strictly increasing positions (e.g. k)
     * @param y the curve's values there (e.g. inertia), convex and decreasing
     * @return the index of the knee in {@code x}, or empty when the curve has fewer than 3 points, is
     *         flat or straight, or never bends enough to pass the threshold
     */
    public static OptionalInt kneeOfDecreasingConvex(double[] x, double[] y, double sensitivity) {
        int n = x.length;
        if (n != y.length) {
            throw new IllegalArgumentException("x and y differ in length: " + n + " and " + y.length);
        }
        for (int i = 1; i < n; i++) {
            if (!(x[i] > x[i - 1])) {
                throw new IllegalArgumentException("x must be strictly increasing");
            }
        }
        if (n < 3) {
            return OptionalInt.empty();
        }
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            yMin = Math.min(yMin, v);
            yMax = Math.max(yMax, v);
        }
        if (!(yMax > yMin)) {
            return OptionalInt.empty();
        }
        double xSpan = x[n - 1] - x[0];
        double[] difference = new double[n];
        double peak = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double xn = (x[i] - x[0]) / xSpan;
            double yn = (y[i] - yMin) / (yMax - yMin);
            difference[i] = (1 - yn) - xn;
            peak = Math.max(peak, difference[i]);
        }
        // On or above the chord everywhere (a straight line, a concave curve): no bend, only rounding noise.
        if (peak <= BEND_EPSILON) {
            return OptionalInt.empty();
        }
        // Mean step of the normalised x: 1 / (n - 1).
        double step = 1.0 / (n - 1);
        double threshold = 0;
        int candidate = -1;
        for (int i = 0; i < n - 1; i++) {
            if (isLocalMaximum(difference, i)) {
                candidate = i;
                threshold = difference[i] - sensitivity * step;
            }
            if (candidate < 0) {
                continue;
            }
            if (isLocalMinimum(difference, i)) {
                threshold = 0;
            }
            if (difference[i + 1] < threshold) {
                return OptionalInt.of(candidate);
            }
        }
        return OptionalInt.empty();
    }

    private static boolean isLocalMaximum(double[] v, int i) {
        return v[i] >= v[Math.max(0, i - 1)] && v[i] >= v[Math.min(v.length - 1, i + 1)];
    }

    private static boolean isLocalMinimum(double[] v, int i) {
        return v[i] <= v[Math.max(0, i - 1)] && v[i] <= v[Math.min(v.length - 1, i + 1)];
    }
}
