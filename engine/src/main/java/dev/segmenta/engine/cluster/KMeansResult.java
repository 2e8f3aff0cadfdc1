package dev.segmenta.engine.cluster;

/**
 * A fitted set of centroids.
 *
 * @param centroids         {@code k * d} values, row-major
 * @param inertia           weighted sum of squared distances of every customer to its centroid
 * @param iterations        Lloyd iterations of the chosen restart
 * @param converged         whether that restart met the tolerance before the iteration cap
 * @param restart           which restart (0-based) was chosen
 * @param initNanos         time of the chosen restart's initialisation
 * @param iterationNanos    time of each of its iterations, for steady-state per-iteration figures
 */
public record KMeansResult(float[] centroids, int k, int dimensions, double inertia, int iterations,
                           boolean converged, int restart, long initNanos, long[] iterationNanos) {

    public float centroid(int j, int f) {
        return centroids[j * dimensions + f];
    }
}
