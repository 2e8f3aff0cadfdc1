package dev.segmenta.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.generate.CustomerGenerator;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole fits on the TornadoVM backend give the scalar backend's model: the same iterations, centroids
 * within 1e-4 relative (relative to {@code max(|c|, 1)}, 1 being the z-scored features' unit), and
 * the same segment for every customer except at near-ties. Runs only with {@code -Ptornado}
 * (tag {@code tornado}), where the backend must start.
 */
@Tag("tornado")
class TornadoParityTest {

    private static final double CENTROID_TOLERANCE = 1e-4;
    /** A customer may change segment only if its two distances differ by less than this, relatively. */
    private static final double NEAR_TIE = 1e-4;

    private static final class Placement implements KMeansListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void dataPlaced(String description) {
            lines.add(description);
        }
    }

    private static Dataset customers(long rows, int features, int segments, long seed, boolean weighted) {
        CustomerGenerator generator = new CustomerGenerator(rows, features, segments, seed);
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        for (int b = 0; b < generator.chunkCount(); b++) {
            FeatureBatch block = generator.chunk(b).features();
            blocks.add(block);
            float[] w = new float[block.rows()];
            for (int i = 0; i < w.length; i++) {
                w[i] = 0.5f + (i * 7919L + b) % 5;
            }
            weights.add(w);
        }
        return new Dataset(blocks, generator.featureNames(), weighted ? weights.toArray(new float[0][]) : null);
    }

    private static Segmenter.Outcome fit(Dataset data, KMeansParams params, Initialization init, KMeansKernels kernels,
                                         KMeansListener listener) {
        try (BlockExecutor executor = new BlockExecutor(2)) {
            return Segmenter.fit(data, params, Segmenter.Variant.KMEANS, init, Scaling.ZSCORE, kernels, executor,
                    listener, "test", "test");
        }
    }

    @Test
    void millionCustomersEightFeaturesEightSegmentsGiveTheScalarModel() {
        assertSameModel(1_000_000, 8, false, Initialization.KMEANS_PLUS_PLUS, new KMeansParams(8, 300, 1e-4, 1, 1));
    }

    @Test
    void weightedFitSeededByKMeansParallelWithRestartsGivesTheScalarModel() {
        assertSameModel(120_000, 8, true, Initialization.KMEANS_PARALLEL, new KMeansParams(6, 300, 1e-4, 2, 9));
    }

    /**
     * Eight centroids for three true segments: the greedy k-means++ trials pick between close candidates
     * and Lloyd runs all 20 iterations, so a wrong candidate potential or drifting sums would show.
     */
    @Test
    void moreCentroidsThanSegmentsGiveTheScalarModelOverTwentyIterations() {
        assertSameModel(300_000, 3, false, Initialization.KMEANS_PLUS_PLUS, new KMeansParams(8, 20, 0, 1, 1));
    }

    private static void assertSameModel(long rows, int segments, boolean weighted, Initialization init,
                                        KMeansParams params) {
        KMeansKernels tornado = Kernels.select("tornado").kernels();
        Dataset scalarData = customers(rows, 8, segments, 7, weighted);
        Dataset tornadoData = customers(rows, 8, segments, 7, weighted);
        Segmenter.Outcome want = fit(scalarData, params, init, Kernels.select("scalar").kernels(), KMeansListener.NONE);
        Placement placement = new Placement();
        Segmenter.Outcome got = fit(tornadoData, params, init, tornado, placement);

        assertEquals(1, placement.lines.size(), "the data was put on the device once: " + placement.lines);
        assertTrue(placement.lines.getFirst().contains("resident on"), placement.lines.getFirst());
        assertEquals("tornado", got.model().backend());
        assertEquals(want.fit().result().iterations(), got.fit().result().iterations(), "iterations");
        float[] c = want.fit().result().centroids();
        float[] t = got.fit().result().centroids();
        for (int q = 0; q < c.length; q++) {
            assertEquals(c[q], t[q], CENTROID_TOLERANCE * Math.max(Math.abs(c[q]), 1), "centroid coordinate " + q);
        }
        assertEquals(want.fit().result().inertia(), got.fit().result().inertia(), 1e-5 * want.fit().result().inertia());

        int d = scalarData.dimensions();
        long differing = 0;
        for (int b = 0; b < scalarData.blockCount(); b++) {
            FeatureBatch block = scalarData.block(b);
            int[] wantLabels = want.fit().labels()[b];
            int[] gotLabels = got.fit().labels()[b];
            for (int i = 0; i < block.rows(); i++) {
                if (wantLabels[i] != gotLabels[i]) {
                    differing++;
                    double a = distance(block, i, c, wantLabels[i], d);
                    double other = distance(block, i, c, gotLabels[i], d);
                    assertTrue(Math.abs(a - other) <= NEAR_TIE * Math.max(a, other), "block " + b + " row " + i
                            + ": segment " + gotLabels[i] + " at " + other + " instead of " + wantLabels[i] + " at " + a);
                }
            }
        }
        assertTrue(differing <= rows / 100_000, differing + " customers changed segment at near-ties");
    }

    private static double distance(FeatureBatch block, int i, float[] c, int j, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            double diff = block.value(i, f) - c[j * d + f];
            s += diff * diff;
        }
        return s;
    }
}
