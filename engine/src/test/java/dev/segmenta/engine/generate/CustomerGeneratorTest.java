package dev.segmenta.engine.generate;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.eval.AdjustedRandIndex;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomerGeneratorTest {

    @Test
    void blocksDependOnlyOnSeedAndIndex() {
        CustomerGenerator a = new CustomerGenerator(100_000, 8, 5, 7);
        CustomerGenerator b = new CustomerGenerator(100_000, 8, 5, 7);
        CustomerGenerator.Block late = a.chunk(3);
        a.chunk(0);
        assertArrayEquals(late.features().values(), b.chunk(3).features().values());
        assertArrayEquals(late.trueSegments(), b.chunk(3).trueSegments());
        assertEquals(3L * CustomerGenerator.CHUNK_ROWS + 1, ((IdColumn.Longs) late.features().ids()).values()[0]);
    }

    @Test
    void lastBlockIsPartialAndValuesStayInRange() {
        CustomerGenerator g = new CustomerGenerator(2L * CustomerGenerator.CHUNK_ROWS + 500, 14, 3, 1);
        assertEquals(3, g.chunkCount());
        FeatureBatch last = g.chunk(2).features();
        assertEquals(500, last.rows());
        assertEquals(14, g.featureNames().size());
        assertEquals("recency_days", g.featureNames().get(0));
        assertEquals("feature_13", g.featureNames().get(12));
        for (int i = 0; i < last.rows(); i++) {
            float recency = last.value(i, 0);
            assertTrue(recency >= 1 && recency <= 365, "recency out of range: " + recency);
            float online = last.value(i, 6);
            assertTrue(online >= 0 && online <= 1, "online share out of range: " + online);
        }
    }

    @Test
    void kMeansOnStandardisedFeaturesRecoversTheGeneratedSegments() {
        int k = 6;
        CustomerGenerator g = new CustomerGenerator(60_000, 8, k, 11);
        List<FeatureBatch> blocks = new ArrayList<>();
        List<int[]> truth = new ArrayList<>();
        for (int b = 0; b < g.chunkCount(); b++) {
            CustomerGenerator.Block block = g.chunk(b);
            blocks.add(block.features());
            truth.add(block.trueSegments());
        }
        Dataset data = new Dataset(blocks, g.featureNames(), null);
        try (BlockExecutor executor = new BlockExecutor(2)) {
            Segmenter.Outcome outcome = Segmenter.fit(data, new KMeansParams(k, 300, 1e-4, 1, 3),
                    Segmenter.Variant.KMEANS, Initialization.KMEANS_PLUS_PLUS, Scaling.ZSCORE,
                    Kernels.select("auto").kernels(), executor, KMeansListener.NONE, "test", "test");
            AdjustedRandIndex ari = new AdjustedRandIndex(k, k);
            for (int b = 0; b < blocks.size(); b++) {
                ari.add(truth.get(b), outcome.fit().labels()[b], blocks.get(b).rows());
            }
            assertTrue(ari.value() >= 0.95, "adjusted Rand index " + ari.value());
        }
    }
}
