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
 * {@link Preparation#none()} with labels {@code "segment 0"}, {@code "segment 1"}, ….
 *
 * @param centroids     {@code k} rows of {@link #spaceDimensions()} values, in the model's space: the scaled
 *                      features, projected onto the principal components when {@link #pca} is present
 * @param segmentSizes  customers per segment in the training data
 * @param preparation   how rows are prepared before {@code scaling}, fitted on the training data
 * @param segmentLabels a name per segment for CRM exports: generated from the profiles
 *                      ({@link SegmentLabels}) or given with {@code --labels}
 * @param pca           the projection applied after scaling ({@code fit --pca}), or {@code null} for none
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
        @JsonInclude(JsonInclude.Include.NON_NULL) Pca pca) {

    public static final int FORMAT_VERSION = 2;
    /** The oldest format this version reads. */
    public static final int OLDEST_FORMAT_VERSION = 1;

    /** The input features the model reads. */
    public int dimensions() {
        return features.size();
    }

    /** Coordinates of a centroid: the principal components kept, or the features without PCA. */
    public int spaceDimensions() {
        return pca == null ? dimensions() : pca.count();
    }

    /**
     * A block of the model's prepared input features mapped into the centroids' space: scaled in
     * place, then projected when the model has a PCA step (a new block).
     */
    public FeatureBatch toModelSpace(FeatureBatch block) {
        scaling.apply(block);
        return pca == null ? block : pca.project(block);
    }

    /** The same model with other segment labels. */
    public SegmentModel withLabels(List<String> labels) {
        return new SegmentModel(formatVersion, segmentaVersion, algorithm, initialization, k, features, scaling,
                centroids, seed, restarts, maxIterations, tolerance, inertia, iterations, converged, backend,
                trainingRows, segmentSizes, source, createdAt, preparation, List.copyOf(labels), pca);
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
