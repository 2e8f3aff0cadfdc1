package dev.segmenta.engine;

import dev.segmenta.engine.cluster.Agglomerative;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.Linkage;
import dev.segmenta.engine.cluster.PhaseListener;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.kernels.KMeansKernels;

/**
 * The library entry point of a hierarchical segmentation: scale, build the dendrogram (exact, or
 * over k-means micro-clusters), cut it, describe the segments. The model holds the segments'
 * centroids, so 'predict' assigns new customers to the nearest one.
 */
public final class HierarchicalSegmenter {

    private HierarchicalSegmenter() {
    }

    /** @param nanos wall time of scaling plus clustering */
    public record Outcome(SegmentModel model, Agglomerative.Fit fit, long nanos) { }

    /**
     * Fits a hierarchy to data already prepared by {@code preparation} (which the model records); the
     * dataset's blocks are scaled in place.
     *
     * @param microClusters 0 for the exact hierarchy of the customers, else the first stage's k
     * @param microParams   the first stage's k-means settings (its k is {@code microClusters})
     */
    public static Outcome fit(Dataset data, Preparation preparation, Linkage linkage, Agglomerative.Cut cut,
                              int microClusters, KMeansParams microParams, String scalingMethod, KMeansKernels kernels,
                              BlockExecutor executor, KMeansListener kmeansListener, PhaseListener listener,
                              String source, String version) {
        long start = System.nanoTime();
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = Segmenter.scale(data, scalingMethod, stats, executor);
        Agglomerative.Fit fit = Agglomerative.fit(data, linkage, cut, microClusters, microParams, kernels, executor,
                kmeansListener, listener);
        long nanos = System.nanoTime() - start;
        boolean staged = fit.microClusters() != null;
        SegmentModel.Hierarchy hierarchy = new SegmentModel.Hierarchy(linkage.label(), fit.dendrogram().leaves(),
                microClusters, fit.cutHeight());
        SegmentModel model = PartitionModel.of(SegmentModel.HIERARCHICAL,
                staged ? Initialization.KMEANS_PARALLEL.label() : null, staged ? microParams : null,
                fit.microClusters(), data.featureNames(), preparation, stats, scaling, fit.partition(), kernels,
                data.rows(), source, version, null, hierarchy);
        return new Outcome(model, fit, nanos);
    }
}
