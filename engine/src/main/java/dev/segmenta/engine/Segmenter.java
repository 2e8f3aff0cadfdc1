package dev.segmenta.engine;

import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.cluster.MiniBatchKMeans;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.model.SegmentLabels;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.kernels.KMeansKernels;

import java.time.Instant;
import java.util.List;

/**
 * The library entry point of a segmentation: scale the (prepared) features, fit a k-means variant, and
 * describe the result as a {@link SegmentModel}, with the preparation and generated segment labels. The CLI's {@code fit} and {@code demo} are thin layers over this.
 */
public final class Segmenter {

    private Segmenter() {
    }

    /** The centroid-based variants {@link #fit} runs on in-memory data. */
    public enum Variant {
        /** Lloyd iterations on all customers ({@link KMeans}). */
        KMEANS("kmeans"),
        /** Sculley's mini-batch updates, then one full assignment pass ({@link MiniBatchKMeans}). */
        MINIBATCH("minibatch-kmeans");

        private final String label;

        Variant(String label) {
            this.label = label;
        }

        /** The algorithm name stored in model files. */
        public String label() {
            return label;
        }
    }

    /**
     * @param model the fitted model
     * @param fit   centroids and every customer's segment and squared distance (in the scaled space)
     * @param nanos wall time of scaling plus fitting
     */
    public record Outcome(SegmentModel model, KMeans.Fit fit, long nanos) { }

    /** Fits a segmentation of data used as it is (no imputation, de-duplication or log1p). */
    public static Outcome fit(Dataset data, KMeansParams params, Variant variant, Initialization initialization,
                              String scalingMethod, KMeansKernels kernels, BlockExecutor executor,
                              KMeansListener listener, String source, String version) {
        return fit(data, Preparation.none(), params, variant, initialization, scalingMethod, kernels, executor,
                listener, source, version);
    }

    /**
     * Fits a segmentation of data already prepared by {@code preparation} (see
     * {@link dev.segmenta.engine.prep.PreparedInput}), which the model records. The dataset's blocks
     * are scaled in place: scaling them in place avoids a second copy of the largest thing in memory.
     */
    public static Outcome fit(Dataset data, Preparation preparation, KMeansParams params, Variant variant,
                              Initialization initialization, String scalingMethod, KMeansKernels kernels,
                              BlockExecutor executor, KMeansListener listener, String source, String version) {
        long start = System.nanoTime();
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = Scaling.fit(scalingMethod, stats);
        executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
        double meanVariance = scaling.scaledMeanVariance(stats);
        KMeans.Fit fit = switch (variant) {
            case KMEANS -> KMeans.fit(data, params, initialization, kernels, executor, listener, meanVariance);
            case MINIBATCH -> new MiniBatchKMeans().fit(data, params, initialization, kernels, executor, listener,
                    meanVariance);
        };
        long nanos = System.nanoTime() - start;
        long[] sizes = new long[params.k()];
        for (int[] labels : fit.labels()) {
            for (int label : labels) {
                sizes[label]++;
            }
        }
        SegmentModel model = model(variant.label(), initialization, params, data.featureNames(), preparation, stats,
                scaling, fit.result(), kernels, data.rows(), sizes, source, version);
        return new Outcome(model, fit, nanos);
    }

    /**
     * Describes a fitted centroid model; shared by the in-memory and the out-of-core paths.
     *
     * @param stats the prepared (unscaled) features' statistics, which name the segments
     */
    public static SegmentModel model(String algorithm, Initialization initialization, KMeansParams params,
                                     List<String> features, Preparation preparation, FeatureStats stats,
                                     Scaling scaling, KMeansResult result, KMeansKernels kernels, long rows,
                                     long[] sizes, String source, String version) {
        int k = result.k();
        int d = result.dimensions();
        float[][] centroids = new float[k][d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(result.centroids(), j * d, centroids[j], 0, d);
        }
        return new SegmentModel(SegmentModel.FORMAT_VERSION, version, algorithm, initialization.label(), k,
                features, scaling, centroids, params.seed(), params.restarts(), params.maxIterations(),
                params.tolerance(), result.inertia(), result.iterations(), result.converged(), kernels.name(),
                rows, sizes, source, Instant.now().toString(), preparation,
                SegmentLabels.generate(features, centroids, scaling, stats));
    }
}
