package dev.segmenta.engine;

import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.kernels.KMeansKernels;

import java.time.Instant;

/**
 * The library entry point of a segmentation: scale the features, fit k-means, and describe the result
 * as a {@link SegmentModel}. The CLI's {@code fit} and {@code demo} are thin layers over this.
 */
public final class Segmenter {

    private Segmenter() {
    }

    /**
     * @param model the fitted model
     * @param fit   centroids and every customer's segment and squared distance (in the scaled space)
     * @param nanos wall time of scaling plus fitting
     */
    public record Outcome(SegmentModel model, KMeans.Fit fit, long nanos) { }

    /**
     * Fits a segmentation. The dataset's blocks are scaled in place: scaling them in place avoids a
     * second copy of the largest thing in memory.
     */
    public static Outcome fit(Dataset data, KMeansParams params, String scalingMethod, KMeansKernels kernels,
                              BlockExecutor executor, KMeansListener listener, String source, String version) {
        long start = System.nanoTime();
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = Scaling.fit(scalingMethod, stats);
        executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
        KMeans.Fit fit = KMeans.fit(data, params, kernels, executor, listener, scaling.scaledMeanVariance(stats));
        long nanos = System.nanoTime() - start;

        int k = params.k();
        int d = data.dimensions();
        float[][] centroids = new float[k][d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(fit.result().centroids(), j * d, centroids[j], 0, d);
        }
        long[] sizes = new long[k];
        for (int[] labels : fit.labels()) {
            for (int label : labels) {
                sizes[label]++;
            }
        }
        SegmentModel model = new SegmentModel(SegmentModel.FORMAT_VERSION, version, "kmeans", "k-means++",
                k, data.featureNames(), scaling, centroids, params.seed(), params.restarts(), params.maxIterations(),
                params.tolerance(), fit.result().inertia(), fit.result().iterations(), fit.result().converged(),
                kernels.name(), data.rows(), sizes, source, Instant.now().toString());
        return new Outcome(model, fit, nanos);
    }
}
