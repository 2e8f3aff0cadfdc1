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
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.kernels.KMeansKernels;

import java.time.Instant;
import java.util.List;

/**
 * The library entry point of a segmentation: scale the features, fit a k-means variant, and describe
 * the result as a {@link SegmentModel}. The CLI's {@code fit} and {@code demo} are thin layers over this.
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

    /**
     * Fits a segmentation. The dataset's blocks are scaled in place: scaling them in place avoids a
     * second copy of the largest thing in memory.
     */
    public static Outcome fit(Dataset data, KMeansParams params, Variant variant, Initialization initialization,
                              String scalingMethod, KMeansKernels kernels, BlockExecutor executor,
                              KMeansListener listener, String source, String version) {
        long start = System.nanoTime();
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = scale(data, scalingMethod, stats, executor);
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
        SegmentModel model = model(variant.label(), initialization, params, data.featureNames(), scaling,
                fit.result(), kernels, data.rows(), sizes, source, version);
        return new Outcome(model, fit, nanos);
    }

    /**
     * Fits the scaling to {@code stats} and applies it to the dataset's blocks in place; every
     * algorithm's fit starts here, so all of them cluster the same scaled space that 'predict' rebuilds.
     */
    public static Scaling scale(Dataset data, String scalingMethod, FeatureStats stats, BlockExecutor executor) {
        Scaling scaling = Scaling.fit(scalingMethod, stats);
        executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
        return scaling;
    }

    /** Describes a fitted centroid model; shared by the in-memory and the out-of-core paths. */
    public static SegmentModel model(String algorithm, Initialization initialization, KMeansParams params,
                                     List<String> features, Scaling scaling, KMeansResult result,
                                     KMeansKernels kernels, long rows, long[] sizes, String source, String version) {
        int k = result.k();
        int d = result.dimensions();
        float[][] centroids = new float[k][d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(result.centroids(), j * d, centroids[j], 0, d);
        }
        return new SegmentModel(SegmentModel.FORMAT_VERSION, version, algorithm, initialization.label(), k,
                features, scaling, centroids, params.seed(), params.restarts(), params.maxIterations(),
                params.tolerance(), result.inertia(), result.iterations(), result.converged(), kernels.name(),
                rows, sizes, source, Instant.now().toString(), null, null);
    }
}
