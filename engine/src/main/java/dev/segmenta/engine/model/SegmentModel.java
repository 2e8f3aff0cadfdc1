package dev.segmenta.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.segmenta.engine.prep.Scaling;

import java.util.List;

/**
 * A fitted segmentation, as stored in the model file: everything needed to assign new customers
 * ({@link #features}, {@link #scaling}, {@link #centroids}) and to reproduce or audit the fit.
 *
 * <p>Every algorithm stores its segments' centroids (their customers' means), so profiles read the
 * same for all. The k-means fields ({@code initialization} to {@code converged}) describe the
 * k-means run: the whole fit for k-means, the micro-clusters of a two-stage hierarchy, and nothing
 * (null or 0) for DBSCAN and an exact hierarchy.
 *
 * @param centroids     {@code k} rows of {@code features.size()} values, in the scaled space
 * @param inertia       weighted squared distances of the segments' customers to their centroids
 * @param segmentSizes  customers per segment in the training data (DBSCAN's noise is in {@link Density#noise})
 * @param density       DBSCAN's parameters and core points, or {@code null} for other algorithms
 * @param hierarchy     the hierarchy and its cut, or {@code null} for other algorithms
 */
public record SegmentModel(
        int formatVersion,
        String segmentaVersion,
        String algorithm,
        String initialization,
        int k,
        List<String> features,
        Scaling scaling,
        float[][] centroids,
        long seed,
        int restarts,
        int maxIterations,
        double tolerance,
        double inertia,
        int iterations,
        boolean converged,
        String backend,
        long trainingRows,
        long[] segmentSizes,
        String source,
        String createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Density density,
        @JsonInclude(JsonInclude.Include.NON_NULL) Hierarchy hierarchy) {

    public static final int FORMAT_VERSION = 1;

    public int dimensions() {
        return features.size();
    }

    /**
     * What DBSCAN needs to label new customers: a customer joins the segment of its nearest core
     * point within {@code eps}, or is noise ({@code -1}).
     *
     * @param index        the spatial index kind used (grid, kdtree), for the record
     * @param noise        training customers labelled noise
     * @param corePoints   every core point of the training data, in the scaled space, in input order
     * @param coreSegments the segment of each core point
     */
    public record Density(double eps, int minSamples, String index, long noise, float[][] corePoints,
                          int[] coreSegments) { }

    /**
     * How a hierarchical model was built and cut.
     *
     * @param linkage       ward, complete, average or single
     * @param leaves        leaves of the dendrogram: the customers, or the micro-clusters
     * @param microClusters micro-clusters asked for in the first stage, 0 for an exact hierarchy
     * @param cutHeight     the height of the cut that gave the {@code k} segments
     */
    public record Hierarchy(String linkage, int leaves, int microClusters, double cutHeight) { }

    /** Centroids flattened row-major, as the kernels take them. */
    public float[] flatCentroids() {
        int d = dimensions();
        float[] flat = new float[k * d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(centroids[j], 0, flat, j * d, d);
        }
        return flat;
    }
}
