package dev.segmenta.engine.model;

import dev.segmenta.engine.prep.Scaling;

import java.util.List;

/**
 * A fitted segmentation, as stored in the model file: everything needed to assign new customers
 * ({@link #features}, {@link #scaling}, {@link #centroids}) and to reproduce or audit the fit.
 *
 * @param centroids     {@code k} rows of {@code features.size()} values, in the scaled space
 * @param segmentSizes  customers per segment in the training data
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
        String createdAt) {

    public static final int FORMAT_VERSION = 1;

    public int dimensions() {
        return features.size();
    }

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
