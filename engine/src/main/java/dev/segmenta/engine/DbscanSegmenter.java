package dev.segmenta.engine;

import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.cluster.Partition;
import dev.segmenta.engine.cluster.PhaseListener;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The library entry point of a DBSCAN segmentation: scale, cluster, describe. The model keeps every
 * core point, so 'predict' labels new customers as DBSCAN would have (see {@link SegmentModel.Density}).
 */
public final class DbscanSegmenter {

    private DbscanSegmenter() {
    }

    /**
     * @param result    labels (noise {@code -1}), core flags and each customer's squared distance to
     *                  the nearest core point of its segment
     * @param partition the segments' means, sizes and inertia (noise left out)
     * @param nanos     wall time of scaling plus clustering
     */
    public record Outcome(SegmentModel model, Dbscan.Result result, Partition partition, long nanos) { }

    /**
     * Fits DBSCAN to data already prepared by {@code preparation} (which the model records); the
     * dataset's blocks are scaled in place.
     */
    public static Outcome fit(Dataset data, Preparation preparation, Dbscan dbscan, String scalingMethod,
                              KMeansKernels kernels, BlockExecutor executor, PhaseListener listener, String source,
                              String version) {
        long start = System.nanoTime();
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = Segmenter.scale(data, scalingMethod, stats, executor);
        Dbscan.Result result = dbscan.fit(data, kernels, executor, listener);
        Partition partition = Partition.of(data, result.labels(), result.clusters(), executor);
        long nanos = System.nanoTime() - start;
        SegmentModel.Density density = new SegmentModel.Density(dbscan.eps(), dbscan.minSamples(),
                result.index().label(), result.noise(), corePoints(data, result), coreSegments(result));
        SegmentModel model = PartitionModel.of(SegmentModel.DBSCAN, null, null, null, data.featureNames(), preparation, stats,
                scaling, partition, kernels, data.rows(), source, version, density, null);
        return new Outcome(model, result, partition, nanos);
    }

    private static float[][] corePoints(Dataset data, Dbscan.Result result) {
        int d = data.dimensions();
        List<float[]> points = new ArrayList<>();
        for (int b = 0; b < data.blockCount(); b++) {
            FeatureBatch block = data.block(b);
            boolean[] core = result.core()[b];
            for (int i = 0; i < core.length; i++) {
                if (core[i]) {
                    float[] p = new float[d];
                    for (int f = 0; f < d; f++) {
                        p[f] = block.values()[f * block.rows() + i];
                    }
                    points.add(p);
                }
            }
        }
        return points.toArray(new float[0][]);
    }

    private static int[] coreSegments(Dbscan.Result result) {
        int[] segments = new int[(int) result.corePoints()];
        int at = 0;
        for (int b = 0; b < result.core().length; b++) {
            for (int i = 0; i < result.core()[b].length; i++) {
                if (result.core()[b][i]) {
                    segments[at++] = result.labels()[b][i];
                }
            }
        }
        return segments;
    }
}
