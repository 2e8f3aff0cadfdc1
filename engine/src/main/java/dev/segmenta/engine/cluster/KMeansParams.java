package dev.segmenta.engine.cluster;

/**
 * Settings of a k-means fit.
 *
 * @param k             number of segments, at least 1
 * @param maxIterations Lloyd iterations per restart, at least 1
 * @param tolerance     convergence threshold relative to the data: a restart stops when the total
 *                      squared centroid movement of an iteration is at most {@code tolerance} times the
 *                      mean per-feature variance (scikit-learn's rule), so it is scale-free
 * @param restarts      independent initialisations; the lowest inertia wins ({@code n_init})
 * @param seed          seeds every random choice; stored in the model
 */
public record KMeansParams(int k, int maxIterations, double tolerance, int restarts, long seed) {

    public static final int DEFAULT_MAX_ITERATIONS = 300;
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** k-means++ now and then seeds two centroids inside one segment; a few restarts make that rare. */
    public static final int DEFAULT_RESTARTS = 3;

    public KMeansParams {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIterations);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0, got " + tolerance);
        }
        if (restarts < 1) {
            throw new IllegalArgumentException("restarts must be at least 1, got " + restarts);
        }
    }
}
