package dev.segmenta.engine.cluster;

/**
 * Lloyd's update step, shared by every variant that runs it (in memory, out of core, on Spark): each
 * centroid moves to the weighted mean of its customers, and a centroid left with no weight stays
 * where it was (re-seeding empty clusters is done before, by {@link EmptyClusters} or
 * {@link FarthestCustomers}).
 *
 * @param centroids    the moved centroids, {@code k * d}, row-major
 * @param shift        total squared movement of all centroids (scikit-learn's convergence measure)
 * @param largestShift largest squared movement of a single centroid (Spark MLlib's measure)
 */
public record CentroidUpdate(float[] centroids, double shift, double largestShift) {

    /**
     * @param centroids the centroids the sums were accumulated against
     * @param counts    total weight per centroid
     * @param sums      weighted coordinate sums, {@code sums[j * d + f]}
     */
    public static CentroidUpdate toMeans(float[] centroids, double[] counts, double[] sums, int k, int d) {
        float[] updated = new float[k * d];
        double shift = 0;
        double largest = 0;
        for (int j = 0; j < k; j++) {
            double moved = 0;
            for (int f = 0; f < d; f++) {
                int t = j * d + f;
                updated[t] = counts[j] > 0 ? (float) (sums[t] / counts[j]) : centroids[t];
                double move = (double) updated[t] - centroids[t];
                moved += move * move;
            }
            shift += moved;
            largest = Math.max(largest, moved);
        }
        return new CentroidUpdate(updated, shift, largest);
    }
}
