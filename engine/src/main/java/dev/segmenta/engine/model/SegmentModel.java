package dev.segmenta.engine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;

import java.util.List;

/**
 * A fitted segmentation, as stored in the model file: everything needed to assign new customers
 * ({@link #features}, {@link #preparation}, {@link #scaling}, {@link #centroids}) and to reproduce or
 * audit the fit.
 *
 * <p>Format 2 added {@code preparation} and {@code segmentLabels}; a format-1 file reads as
 * {@link Preparation#none()} with labels {@code "segment 0"}, {@code "segment 1"}, …. Format 3 added
 * {@code density} (DBSCAN) and {@code hierarchy} (agglomerative clustering), absent for k-means; the
 * version rose so that an older Segmenta refuses a DBSCAN model instead of assigning its customers
 * by nearest centroid.
 *
 * <p>Every algorithm stores its segments' centroids (their customers' means), so profiles and labels
 * read the same for all. The k-means fields ({@code initialization} to {@code converged}) describe
 * the k-means run: the whole fit for k-means, the micro-clusters of a two-stage hierarchy, and
 * nothing (null or 0) for DBSCAN and an exact hierarchy.
 *
 * @param centroids     {@code k} rows of {@link #spaceDimensions()} values, in the model's space: the scaled
 *                      features, projected onto the principal components when {@link #pca} is present
 * @param inertia       weighted squared distances of the segments' customers to their centroids
 * @param segmentSizes  customers per segment in the training data (DBSCAN's noise is in {@link Density#noise})
 * @param preparation   how rows are prepared before {@code scaling}, fitted on the training data
 * @param segmentLabels a name per segment for CRM exports: generated from the profiles
 *                      ({@link SegmentLabels}) or given with {@code --labels}
 * @param pca           the projection applied after scaling ({@code fit --pca}), or {@code null} for none
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
        Preparation preparation,
        List<String> segmentLabels,
        @JsonInclude(JsonInclude.Include.NON_NULL) Pca pca,
        @JsonInclude(JsonInclude.Include.NON_NULL) Density density,
        @JsonInclude(JsonInclude.Include.NON_NULL) Hierarchy hierarchy) {

    public static final int FORMAT_VERSION = 3;
    /** The oldest format this version reads. */
    public static final int OLDEST_FORMAT_VERSION = 1;

    /** The {@link #algorithm} names a model file holds: each one of the fits that write models. */
    public static final String KMEANS = "kmeans";
    public static final String MINIBATCH_KMEANS = "minibatch-kmeans";
    public static final String DBSCAN = "dbscan";
    public static final String HIERARCHICAL = "hierarchical";
    public static final List<String> ALGORITHMS = List.of(KMEANS, MINIBATCH_KMEANS, DBSCAN, HIERARCHICAL);

    /** The input features the model reads. */
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

    /** Coordinates of a centroid: the principal components kept, or the features without PCA. */
    public int spaceDimensions() {
        return pca == null ? dimensions() : pca.count();
    }

    /**
     * A block of the model's prepared input features mapped into the centroids' space: scaled in
     * place, then projected when the model has a PCA step (a new block).
     *
     * @throws dev.segmenta.io.BadInputException for a value too far from the training data to score
     *                                           ({@link Scaling#checkScaled}; the caller adds the file)
     */
    public FeatureBatch toModelSpace(FeatureBatch block) {
        scaling.apply(block);
        Scaling.checkScaled(block, features);
        return pca == null ? block : pca.project(block);
    }

    /** The same model with other segment labels. */
    public SegmentModel withLabels(List<String> labels) {
        return new SegmentModel(formatVersion, segmentaVersion, algorithm, initialization, k, features, scaling,
                centroids, seed, restarts, maxIterations, tolerance, inertia, iterations, converged, backend,
                trainingRows, segmentSizes, source, createdAt, preparation, List.copyOf(labels), pca, density, hierarchy);
    }

    /** Centroids flattened row-major, as the kernels take them. */
    public float[] flatCentroids() {
        int d = spaceDimensions();
        float[] flat = new float[k * d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(centroids[j], 0, flat, j * d, d);
        }
        return flat;
    }
}
