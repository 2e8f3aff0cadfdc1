package dev.segmenta.engine.eval;

import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftTest {

    private static final Scaling IDENTITY = new Scaling(Scaling.NONE, new double[] {0}, new double[] {1});

    private static FeatureBatch block(float... values) {
        return new FeatureBatch(values, values.length, 1, 0, new IdColumn.Longs(new long[values.length], values.length));
    }

    private static int[] labels(float[] values) {
        int[] labels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = values[i] > 0 ? 1 : 0;
        }
        return labels;
    }

    private static Drift.Population population(float[] values, double[][] ranges, int bins) {
        Drift.Population p = new Drift.Population(2, ranges, bins);
        p.add(block(values.clone()), labels(values));
        return p;
    }

    private static float[] gaussian(int n, double mean, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (mean + random.nextGaussian());
        }
        return x;
    }

    @Test
    void binsSpanTheBeforeRangeWithOneBinEachSideForTheRest() {
        double[][] ranges = {{0}, {4}};
        Drift.Population p = population(new float[] {-1, 0, 0.9f, 1, 3.99f, 4, 5}, ranges, 4);
        assertArrayEquals(new long[] {1, 2, 1, 0, 2, 1}, p.histograms[0]);
        assertEquals(2.0 / 7, p.share(0), 1e-12);
    }

    @Test
    void samePopulationHasNoDriftAndAShiftedOneAdvisesReclustering() {
        float[] before = gaussian(20_000, 0, 1);
        double[][] ranges = Drift.ranges(new dev.segmenta.engine.TestSource(block(before.clone())), IDENTITY);
        Drift.Population a = population(before, ranges, 20);
        Drift.Report same = Drift.compare(a, population(gaussian(20_000, 0, 2), ranges, 20), List.of("x"), IDENTITY, 0.1);
        assertTrue(same.largest() < 0.01, "sampling noise only: " + same.largest());
        assertFalse(same.reclusterAdvised());

        Drift.Report shifted = Drift.compare(a, population(gaussian(20_000, 1, 3), ranges, 20), List.of("x"), IDENTITY, 0.1);
        // N(0,1) against N(1,1): the divergence of the densities is 0.161 bits; binned, a little less
        assertEquals(0.16, shifted.featureDivergence()[0], 0.02);
        assertEquals(0.0986, shifted.shareDivergence(), 0.01, "shares 1/2 against 0.159/0.841");
        assertTrue(shifted.reclusterAdvised());
        assertEquals(0, shifted.beforeMeans()[0], 0.02);
        assertEquals(1, shifted.afterMeans()[0], 0.02);
    }
}
