package dev.segmenta.engine;

import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.cluster.Partition;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.model.SegmentLabels;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.kernels.KMeansKernels;

import java.time.Instant;
import java.util.List;

/** The model of a segmentation that is not k-means itself: its segments described by a {@link Partition}. */
final class PartitionModel {

    private PartitionModel() {
    }

    /**
     * @param kmeansParams the settings of a k-means stage, or {@code null} when there was none
     * @param kmeans       that stage's result, or {@code null}
     * @param stats        the prepared (unscaled) features' statistics, which name the segments
     */
    static SegmentModel of(String algorithm, String initialization, KMeansParams kmeansParams, KMeansResult kmeans,
                           List<String> features, Preparation preparation, FeatureStats stats, Scaling scaling,
                           Partition partition, KMeansKernels kernels, long rows, String source, String version,
                           SegmentModel.Density density, SegmentModel.Hierarchy hierarchy) {
        int k = partition.clusters();
        int d = features.size();
        float[][] centroids = new float[k][d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(partition.centroids(), j * d, centroids[j], 0, d);
        }
        boolean staged = kmeansParams != null;
        return new SegmentModel(SegmentModel.FORMAT_VERSION, version, algorithm, initialization, k, features, scaling,
                centroids, staged ? kmeansParams.seed() : 0, staged ? kmeansParams.restarts() : 0,
                staged ? kmeansParams.maxIterations() : 0, staged ? kmeansParams.tolerance() : 0, partition.inertia(),
                staged ? kmeans.iterations() : 0, !staged || kmeans.converged(), kernels.name(), rows,
                partition.sizes(), source, Instant.now().toString(), preparation,
                SegmentLabels.generate(features, centroids, scaling, stats), null, density, hierarchy);
    }
}
