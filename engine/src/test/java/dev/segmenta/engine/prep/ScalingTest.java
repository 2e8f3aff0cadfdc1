package dev.segmenta.engine.prep;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScalingTest {

    private static final float[][] POINTS = {{1, 5, 100}, {3, 5, 200}, {5, 5, 600}, {7, 5, 300}};

    private static FeatureStats stats(Dataset data) {
        try (BlockExecutor executor = new BlockExecutor(2)) {
            return FeatureStats.of(data, executor);
        }
    }

    @Test
    void statsMatchHandComputedValuesAcrossBlocks() {
        FeatureStats stats = stats(TestData.dataset(POINTS, 3));
        assertEquals(4, stats.count());
        assertEquals(4.0, stats.mean()[0], 1e-12);
        assertEquals(5.0, stats.variance()[0], 1e-12);
        assertEquals(0.0, stats.variance()[1], 1e-12);
        assertEquals(300.0, stats.mean()[2], 1e-12);
        assertEquals(35000.0, stats.variance()[2], 1e-9);
        assertEquals(100.0, stats.min()[2]);
        assertEquals(600.0, stats.max()[2]);
    }

    @Test
    void zscoreGivesMeanZeroUnitVarianceAndLeavesConstantColumnsAtZero() {
        Dataset data = TestData.dataset(POINTS, 3);
        FeatureStats raw = stats(data);
        Scaling scaling = Scaling.fit(Scaling.ZSCORE, raw);
        data.blocks().forEach(scaling::apply);
        FeatureStats scaled = stats(data);
        assertEquals(0.0, scaled.mean()[0], 1e-6);
        assertEquals(1.0, scaled.variance()[0], 1e-6);
        assertEquals(0.0, scaled.variance()[1], 1e-12);
        assertEquals(0.0, scaled.max()[1], 1e-12);
        assertEquals(1.0, scaled.variance()[2], 1e-6);
        assertEquals((1.0 + 0.0 + 1.0) / 3, scaling.scaledMeanVariance(raw), 1e-12);
        assertEquals(600.0, scaling.invert(2, scaled.max()[2]), 1e-3);
    }

    @Test
    void minmaxMapsEachColumnOntoZeroOne() {
        Dataset data = TestData.dataset(POINTS, 2);
        Scaling scaling = Scaling.fit(Scaling.MINMAX, stats(data));
        data.blocks().forEach(scaling::apply);
        FeatureStats scaled = stats(data);
        assertEquals(0.0, scaled.min()[0], 1e-7);
        assertEquals(1.0, scaled.max()[0], 1e-7);
        assertEquals(0.0, scaled.min()[2], 1e-7);
        assertEquals(1.0, scaled.max()[2], 1e-7);
    }

    @Test
    void unknownMethodIsRejected() {
        FeatureStats stats = stats(TestData.dataset(POINTS, 3));
        assertThrows(IllegalArgumentException.class, () -> Scaling.fit("log", stats));
    }
}
