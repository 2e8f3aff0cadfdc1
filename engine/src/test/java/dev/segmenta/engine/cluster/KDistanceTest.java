package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KDistanceTest {

    static float[][] randomPoints(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] points = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                points[i][f] = (float) (random.nextGaussian() * (1 + f));
            }
            if (i > 0 && random.nextInt(10) == 0) {
                points[i] = points[random.nextInt(i)].clone();
            }
        }
        return points;
    }

    static float squared(float[] a, float[] b) {
        float s = 0;
        for (int f = 0; f < a.length; f++) {
            float diff = a[f] - b[f];
            s += diff * diff;
        }
        return s;
    }

    /** The k-th smallest of all distances, the point itself (distance 0) included. */
    @Test
    void kthNearestIsTheBruteForceOne() {
        for (int d : new int[] {1, 3, 7}) {
            float[][] points = randomPoints(900, d, d);
            Dataset data = TestData.dataset(points, 128);
            KdTree tree = new KdTree(NeighbourIndex.columnMajor(data), points.length, d, 16);
            KdTree.KnnScratch scratch = new KdTree.KnnScratch();
            for (int k : new int[] {1, 2, 5, 17}) {
                for (int i = 0; i < points.length; i += 7) {
                    float[] all = new float[points.length];
                    for (int j = 0; j < points.length; j++) {
                        all[j] = squared(points[i], points[j]);
                    }
                    Arrays.sort(all);
                    assertEquals(all[k - 1], tree.kthNearestSquared(points[i], k, scratch), "d=" + d + " k=" + k + " point " + i);
                }
            }
        }
    }

    @Test
    void kneeOfAFlatCurveWithASteepTail() {
        float[] curve = new float[1000];
        for (int i = 0; i < 900; i++) {
            curve[i] = 1.0f + 0.1f * i / 900;
        }
        for (int i = 900; i < 1000; i++) {
            curve[i] = 1.1f + 0.2f * (i - 900) * (i - 900) / 100f;
        }
        int knee = KDistance.knee(curve);
        assertTrue(knee >= 890 && knee <= 930, "knee at " + knee);
        assertEquals(4, KDistance.knee(new float[] {2, 2, 2, 2, 2}));
        assertEquals(0, KDistance.knee(new float[] {3}));
    }

    /** With every customer sampled, the suggested eps makes (about) the curve's share of core points. */
    @Test
    void suggestedEpsMakesTheCurvesShareOfCorePoints() {
        float[][] points = TestData.blobs(new float[][] {{0, 0}, {10, 0}, {5, 9}}, 600, 2);
        float[][] withNoise = Arrays.copyOf(points, points.length + 60);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = points.length; i < withNoise.length; i++) {
            withNoise[i] = new float[] {(float) (random.nextDouble() * 30 - 10), (float) (random.nextDouble() * 30 - 10)};
        }
        Dataset data = TestData.dataset(withNoise, 256);
        try (BlockExecutor executor = new BlockExecutor(2)) {
            KDistance.Curve curve = KDistance.of(data, 8, 1_000_000, 1, executor);
            assertEquals(withNoise.length, curve.distances().length);
            for (int i = 1; i < curve.distances().length; i++) {
                assertTrue(curve.distances()[i - 1] <= curve.distances()[i]);
            }
            Dbscan.Result r = new Dbscan(curve.suggestedEps(), 8, SpatialIndex.GRID).fit(data, new ScalarKernels(),
                    executor, PhaseListener.NONE);
            double expected = curve.coreShare() * withNoise.length;
            assertEquals(expected, r.corePoints(), 2.0, "core points against the curve's share");
            assertEquals(3, r.clusters());

            KDistance.Curve sampled = KDistance.of(data, 8, 500, 1, executor);
            assertEquals(500, sampled.distances().length);
            assertArrayEquals(sampled.distances(), KDistance.of(data, 8, 500, 1, executor).distances());
            assertEquals(curve.suggestedEps(), sampled.suggestedEps(), 0.25 * curve.suggestedEps());
        }
    }

    @Test
    void rejectsImpossibleRequests() {
        Dataset data = TestData.dataset(new float[][] {{0}, {1}, {2}}, 3);
        try (BlockExecutor executor = new BlockExecutor(1)) {
            assertThrows(BadInputException.class, () -> KDistance.of(data, 4, 100, 1, executor));
            assertThrows(IllegalArgumentException.class, () -> KDistance.of(data, 0, 100, 1, executor));
            Dataset same = TestData.dataset(new float[][] {{1}, {1}, {1}, {1}}, 4);
            BadInputException duplicates = assertThrows(BadInputException.class, () -> KDistance.of(same, 3, 100, 1, executor));
            assertTrue(duplicates.getMessage().contains("duplicate"), duplicates.getMessage());
        }
    }
}
