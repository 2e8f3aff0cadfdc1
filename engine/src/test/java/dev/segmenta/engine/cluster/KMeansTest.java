package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.ScalarKernels;
import dev.segmenta.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {

    private static final KMeansKernels SCALAR = new ScalarKernels();

    private static KMeans.Fit fit(Dataset data, KMeansParams params, KMeansKernels kernels, int threads,
                                  KMeansListener listener) {
        try (BlockExecutor executor = new BlockExecutor(threads)) {
            return KMeans.fit(data, params, kernels, executor, listener);
        }
    }

    private static KMeans.Fit fit(Dataset data, KMeansParams params, int threads) {
        return fit(data, params, SCALAR, threads, KMeansListener.NONE);
    }

    @Test
    void twoObviousGroupsGiveTheirMeansAsCentroids() {
        float[][] points = {{0, 0}, {0, 2}, {2, 0}, {2, 2}, {10, 10}, {10, 12}, {12, 10}, {12, 12}};
        KMeans.Fit fit = fit(TestData.dataset(points, 3), new KMeansParams(2, 100, 0, 1, 7), 1);
        float[] c = fit.result().centroids();
        float[][] sorted = {{c[0], c[1]}, {c[2], c[3]}};
        Arrays.sort(sorted, (a, b) -> Float.compare(a[0], b[0]));
        assertArrayEquals(new float[] {1, 1}, sorted[0]);
        assertArrayEquals(new float[] {11, 11}, sorted[1]);
        // each point is at squared distance 2 from its group's mean
        assertEquals(16.0, fit.result().inertia(), 1e-9);
        assertTrue(fit.result().converged());
    }

    @Test
    void givenCentroidsAreIteratedFromAsLloydWould() {
        float[][] points = {{0}, {1}, {10}, {11}};
        try (BlockExecutor executor = new BlockExecutor(2)) {
            // From {0, 1}: 1, 10 and 11 first join centroid 1 (mean 22/3), then 1 moves back: {0.5, 10.5}.
            KMeans.Fit fit = KMeans.fitFrom(TestData.dataset(points, 3), new float[] {0, 1},
                    new KMeansParams(2, 10, 0, 1, 5), SCALAR, executor, KMeansListener.NONE, 1);
            assertArrayEquals(new float[] {0.5f, 10.5f}, fit.result().centroids());
            assertEquals(3, fit.result().iterations());
            assertEquals(1.0, fit.result().inertia(), 1e-12);
        }
    }

    @Test
    void givenCentroidsMustFitTheDataAndOneRestart() {
        Dataset data = TestData.dataset(new float[][] {{0, 0}, {1, 1}, {5, 5}}, 3);
        try (BlockExecutor executor = new BlockExecutor(1)) {
            assertThrows(IllegalArgumentException.class, () -> KMeans.fitFrom(data, new float[] {0, 0, 1},
                    new KMeansParams(2, 10, 0, 1, 5), SCALAR, executor, KMeansListener.NONE, 1));
            assertThrows(IllegalArgumentException.class, () -> KMeans.fitFrom(data, new float[] {0, 0, 1, 1},
                    new KMeansParams(2, 10, 0, 3, 5), SCALAR, executor, KMeansListener.NONE, 1));
        }
    }

    @Test
    void singleSegmentIsTheMean() {
        float[][] points = {{1, 10}, {2, 20}, {3, 30}, {6, 60}};
        KMeans.Fit fit = fit(TestData.dataset(points, 2), new KMeansParams(1, 10, 1e-4, 1, 1), 2);
        assertArrayEquals(new float[] {3, 30}, fit.result().centroids(), 1e-6f);
    }

    @Test
    void inertiaMatchesLabelsAndDistances() {
        float[][] points = TestData.blobs(new float[][] {{0, 0, 0}, {8, 8, 0}, {0, 8, 8}}, 500, 3);
        Dataset data = TestData.dataset(points, 256);
        KMeans.Fit fit = fit(data, new KMeansParams(3, 50, 1e-6, 2, 11), 2);
        float[] c = fit.result().centroids();
        double inertia = 0;
        int row = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            for (int i = 0; i < data.block(b).rows(); i++, row++) {
                int label = fit.labels()[b][i];
                double best = Double.POSITIVE_INFINITY;
                int argmin = -1;
                for (int j = 0; j < 3; j++) {
                    double dist = 0;
                    for (int f = 0; f < 3; f++) {
                        double diff = points[row][f] - c[j * 3 + f];
                        dist += diff * diff;
                    }
                    if (dist < best) {
                        best = dist;
                        argmin = j;
                    }
                }
                assertEquals(argmin, label, "row " + row + " is not assigned to its nearest centroid");
                inertia += best;
            }
        }
        assertEquals(inertia, fit.result().inertia(), 1e-6 * inertia);
    }

    @Test
    void inertiaNeverIncreasesAcrossLloydIterations() {
        float[][] points = TestData.blobs(new float[][] {{0, 0}, {3, 0}, {0, 3}, {3, 3}, {6, 6}}, 400, 5);
        List<Double> inertias = new ArrayList<>();
        KMeansListener record = new KMeansListener() {
            @Override
            public void iteration(int restart, int iteration, double inertia, double shift, long nanos) {
                inertias.add(inertia);
            }
        };
        fit(TestData.dataset(points, 128), new KMeansParams(8, 100, 0, 1, 3), SCALAR, 2, record);
        assertTrue(inertias.size() > 2, "expected several iterations, got " + inertias);
        for (int t = 1; t < inertias.size(); t++) {
            assertTrue(inertias.get(t) <= inertias.get(t - 1) * (1 + 1e-6),
                    "inertia rose at iteration " + (t + 1) + ": " + inertias);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalModelForAnyThreadCount() {
        float[][] points = TestData.blobs(new float[][] {{0, 0, 0, 0}, {5, 5, 0, 0}, {0, 5, 5, 0}, {0, 0, 5, 5}},
                5000, 9);
        KMeansParams params = new KMeansParams(6, 100, 1e-4, 3, 2024);
        KMeansKernels kernels = Kernels.select("auto").kernels();
        KMeans.Fit one = fit(TestData.dataset(points, 1000), params, kernels, 1, KMeansListener.NONE);
        for (int threads : new int[] {2, 3, 8}) {
            KMeans.Fit many = fit(TestData.dataset(points, 1000), params, kernels, threads, KMeansListener.NONE);
            assertArrayEquals(one.result().centroids(), many.result().centroids(), threads + " threads");
            assertEquals(one.result().inertia(), many.result().inertia(), threads + " threads");
            assertEquals(one.result().iterations(), many.result().iterations(), threads + " threads");
            for (int b = 0; b < one.labels().length; b++) {
                assertArrayEquals(one.labels()[b], many.labels()[b], threads + " threads, block " + b);
            }
        }
    }

    @Test
    void moreRestartsNeverGiveAWorseInertia() {
        float[][] points = TestData.blobs(new float[][] {{0, 0}, {4, 0}, {0, 4}, {4, 4}, {2, 2}, {8, 8}}, 300, 13);
        Dataset data = TestData.dataset(points, 512);
        double single = fit(data, new KMeansParams(6, 100, 1e-6, 1, 5), 2).result().inertia();
        double best = fit(data, new KMeansParams(6, 100, 1e-6, 5, 5), 2).result().inertia();
        assertTrue(best <= single, best + " > " + single);
    }

    @Test
    void integerWeightsActLikeRepeatedCustomers() {
        float[][] base = {{0, 0}, {1, 0}, {0, 1}, {20, 20}, {21, 20}, {20, 23}};
        float[] weights = {1, 3, 2, 1, 1, 4};
        List<float[]> repeated = new ArrayList<>();
        for (int i = 0; i < base.length; i++) {
            for (int r = 0; r < weights[i]; r++) {
                repeated.add(base[i]);
            }
        }
        KMeansParams params = new KMeansParams(2, 100, 0, 1, 1);
        float[] weighted = sortedCentroids(fit(TestData.dataset(base, 4, weights), params, SCALAR, 1,
                KMeansListener.NONE).result());
        float[] plain = sortedCentroids(fit(TestData.dataset(repeated.toArray(new float[0][]), 4), params, 1).result());
        assertArrayEquals(plain, weighted, 1e-5f);
        assertArrayEquals(new float[] {0.5f, 1f / 3, 121f / 6, 22f}, weighted, 1e-5f);
    }

    private static float[] sortedCentroids(KMeansResult r) {
        float[] c = r.centroids();
        if (c[0] > c[2]) {
            return new float[] {c[2], c[3], c[0], c[1]};
        }
        return c.clone();
    }

    @Test
    void kLargerThanRowsIsBadInput() {
        float[][] points = {{1, 1}, {2, 2}, {3, 3}};
        BadInputException e = assertThrows(BadInputException.class,
                () -> fit(TestData.dataset(points, 2), new KMeansParams(4, 10, 1e-4, 1, 1), 1));
        assertTrue(e.getMessage().contains("only 3 customers"), e.getMessage());
    }

    @Test
    void fewerDistinctCustomersThanKIsBadInput() {
        float[][] points = {{1, 1}, {1, 1}, {2, 2}, {2, 2}, {1, 1}};
        BadInputException e = assertThrows(BadInputException.class,
                () -> fit(TestData.dataset(points, 2), new KMeansParams(3, 10, 1e-4, 1, 1), 1));
        assertTrue(e.getMessage().contains("only 2 distinct customers"), e.getMessage());
    }

    @Test
    void emptyClusterIsRelocatedToTheFarthestCustomer() {
        float[][] points = {{0}, {1}, {2}, {100}};
        float[] init = {0.5f, 1000f};
        try (BlockExecutor executor = new BlockExecutor(1);
             KMeansWorkspace ws = new KMeansWorkspace(TestData.dataset(points, 4), SCALAR, executor, 2)) {
            KMeansResult r = new LloydKMeans(ws, init, 2).run(10, 0, 0, 0, KMeansListener.NONE);
            float[] c = r.centroids();
            float lo = Math.min(c[0], c[1]);
            float hi = Math.max(c[0], c[1]);
            assertEquals(1f, lo, 1e-6f);
            assertEquals(100f, hi, 1e-6f);
        }
    }
}
