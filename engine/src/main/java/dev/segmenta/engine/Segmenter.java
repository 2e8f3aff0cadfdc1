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
import dev.segmenta.engine.eval.ClusterMoments;
import dev.segmenta.engine.prep.Covariance;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
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
        KMEANS(SegmentModel.KMEANS),
        /** Sculley's mini-batch updates, then one full assignment pass ({@link MiniBatchKMeans}). */
        MINIBATCH(SegmentModel.MINIBATCH_KMEANS);

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
     * @param space the customers in the model's space (scaled, and projected when the model has PCA),
     *              block for block like the input: what the centroids and {@code fit} refer to
     * @param fit   centroids and every customer's segment and squared distance (in the model's space)
     * @param nanos wall time of scaling, projection and fitting
     */
    public record Outcome(SegmentModel model, Dataset space, KMeans.Fit fit, long nanos) { }

    /** Fits a segmentation of data used as it is (no imputation, de-duplication or log1p). */
    public static Outcome fit(Dataset data, KMeansParams params, Variant variant, Initialization initialization,
                              String scalingMethod, KMeansKernels kernels, BlockExecutor executor,
                              KMeansListener listener, String source, String version) {
        return fit(data, Preparation.none(), params, variant, initialization, scalingMethod, kernels, executor,
                listener, source, version);
    }

    /** Fits a segmentation of data already prepared by {@code preparation}, without PCA. */
    public static Outcome fit(Dataset data, Preparation preparation, KMeansParams params, Variant variant,
                              Initialization initialization, String scalingMethod, KMeansKernels kernels,
                              BlockExecutor executor, KMeansListener listener, String source, String version) {
        return fit(data, preparation, params, variant, initialization, scalingMethod, 0, kernels, executor, listener,
                source, version);
    }

    /**
     * Fits a segmentation of data already prepared by {@code preparation} (see
     * {@link dev.segmenta.engine.prep.PreparedInput}), which the model records, on the first
     * {@code components} principal components of the scaled features when {@code components > 0} (the
     * projection is stored in the model). The dataset's blocks are scaled in place: scaling them in place
     * avoids a second copy of the largest thing in memory; the projection is a new dataset of
     * {@code components} columns.
     */
    public static Outcome fit(Dataset data, Preparation preparation, KMeansParams params, Variant variant,
                              Initialization initialization, String scalingMethod, int components,
                              KMeansKernels kernels, BlockExecutor executor, KMeansListener listener, String source,
                              String version) {
        KernelWarmup.awaitBefore(data.rows());
        long start = System.nanoTime();
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = scale(data, scalingMethod, stats, executor);
        double meanVariance = scaling.scaledMeanVariance(stats);
        Pca pca = null;
        Dataset space = data;
        if (components > 0) {
            pca = Pca.fit(Covariance.of(data, executor), components);
            space = project(data, pca, executor);
            meanVariance = FeatureStats.of(space, executor).meanVariance();
        }
        KMeans.Fit fit = switch (variant) {
            case KMEANS -> KMeans.fit(space, params, initialization, kernels, executor, listener, meanVariance);
            case MINIBATCH -> new MiniBatchKMeans().fit(space, params, initialization, kernels, executor, listener,
                    meanVariance);
        };
        long nanos = System.nanoTime() - start;
        long[] sizes = new long[params.k()];
        for (int[] labels : fit.labels()) {
            for (int label : labels) {
                sizes[label]++;
            }
        }
        float[][] featureCentroids = pca == null ? null
                : segmentMeans(ClusterMoments.of(data, fit.labels(), params.k(), executor));
        SegmentModel model = model(variant.label(), initialization, params, data.featureNames(), preparation, stats,
                scaling, pca, featureCentroids, fit.result(), kernels, data.rows(), sizes, source, version);
        return new Outcome(model, space, fit, nanos);
    }

    /**
     * Fits the scaling to {@code stats} and applies it to the dataset's blocks in place; every
     * algorithm's fit starts here, so all of them cluster the same scaled space that 'predict' rebuilds.
     *
     * @throws dev.segmenta.io.BadInputException when the scaled distances would not fit float32
     *                                           ({@link Scaling#checkDistances})
     */
    public static Scaling scale(Dataset data, String scalingMethod, FeatureStats stats, BlockExecutor executor) {
        Scaling scaling = Scaling.fit(scalingMethod, stats);
        scaling.checkDistances(stats, data.featureNames());
        executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
        return scaling;
    }

    /**
     * Customers of a file assigned to a saved model's segments.
     *
     * @param features  the prepared input scaled by the model (in place), in the input's features
     * @param space     the same customers in the model's space ({@code features} itself without PCA)
     * @param labels    segment per customer, block by block
     * @param distances squared distance to the segment's centroid, in the model's space
     * @param inertia   {@code Σ distances}
     */
    public record Assigned(Dataset features, Dataset space, int[][] labels, float[][] distances, double inertia) { }

    /**
     * Maps {@code data} (the model's features, prepared as the model says) into the model's space, in
     * place, and assigns it.
     */
    public static Assigned assign(SegmentModel model, Dataset data, KMeansKernels kernels, BlockExecutor executor) {
        int blocks = data.blockCount();
        FeatureBatch[] space = new FeatureBatch[blocks];
        int[][] labels = new int[blocks][];
        float[][] distances = new float[blocks][];
        double[] inertia = new double[blocks];
        float[] centroids = model.flatCentroids();
        executor.forEachBlock(blocks, b -> {
            FeatureBatch block = model.toModelSpace(data.block(b));
            int n = block.rows();
            labels[b] = new int[n];
            distances[b] = new float[n];
            kernels.assign(block.values(), n, model.spaceDimensions(), centroids, model.k(), labels[b], distances[b]);
            double sum = 0;
            for (float v : distances[b]) {
                sum += v;
            }
            inertia[b] = sum;
            space[b] = block;
        });
        double total = 0;
        for (double v : inertia) {
            total += v;
        }
        Dataset projected = model.pca() == null ? data : new Dataset(List.of(space), model.pca().columnNames(), null);
        return new Assigned(data, projected, labels, distances, total);
    }

    private static Dataset project(Dataset data, Pca pca, BlockExecutor executor) {
        FeatureBatch[] blocks = new FeatureBatch[data.blockCount()];
        executor.forEachBlock(blocks.length, b -> blocks[b] = pca.project(data.block(b)));
        return new Dataset(List.of(blocks), pca.columnNames(), data.weights());
    }

    /** Each segment's mean in the scaled feature space, as centroid rows (a PCA model's centroids are components). */
    private static float[][] segmentMeans(ClusterMoments moments) {
        int d = moments.dimensions();
        float[][] means = new float[moments.k()][d];
        for (int j = 0; j < moments.k(); j++) {
            for (int f = 0; f < d; f++) {
                means[j][f] = (float) moments.means()[j * d + f];
            }
        }
        return means;
    }

    /**
     * Describes a fitted centroid model; shared by the in-memory and the out-of-core paths.
     *
     * @param stats            the prepared (unscaled) features' statistics, which name the segments
     * @param pca              the projection the centroids live in, or {@code null}
     * @param featureCentroids with {@code pca}, each segment's mean in the scaled feature space (for its
     *                         label); {@code null} without
     */
    public static SegmentModel model(String algorithm, Initialization initialization, KMeansParams params,
                                     List<String> features, Preparation preparation, FeatureStats stats,
                                     Scaling scaling, Pca pca, float[][] featureCentroids, KMeansResult result,
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
                rows, sizes, source, Instant.now().toString(), preparation,
                SegmentLabels.generate(features, featureCentroids == null ? centroids : featureCentroids, scaling, stats),
                pca, null, null);
    }
}
