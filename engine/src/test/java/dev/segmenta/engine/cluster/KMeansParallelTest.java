package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import dev.segmenta.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansParallelTest {

    private static final float[][] CENTRES = {{0, 0, 0}, {10, 0, 0}, {0, 10, 0}, {0, 0, 10}, {10, 10, 10}};

    private static float[] seed(Dataset data, int k, int threads, KMeansKernels kernels, long seed) {
        try (BlockExecutor executor = new BlockExecutor(threads);
             KMeansWorkspace ws = new KMeansWorkspace(data, kernels, executor, k)) {
            return new KMeansParallel().initialCentroids(ws, k, new SplittableRandom(seed));
        }
    }

    @Test
    void givesKDistinctCentroidsThatAreCustomers() {
        float[][] points = TestData.blobs(CENTRES, 400, 1);
        float[] c = seed(TestData.dataset(points, 300), 5, 2, new ScalarKernels(), 42);
        Set<List<Float>> customers = new HashSet<>();
        for (float[] p : points) {
            customers.add(List.of(p[0], p[1], p[2]));
        }
        Set<List<Float>> chosen = new HashSet<>();
        for (int j = 0; j < 5; j++) {
            List<Float> centroid = List.of(c[j * 3], c[j * 3 + 1], c[j * 3 + 2]);
            assertTrue(customers.contains(centroid), "centroid " + j + " is not a customer: " + centroid);
            chosen.add(centroid);
        }
        assertEquals(5, chosen.size(), "centroids are not distinct");
    }

    @Test
    void seedsOneCentroidPerWellSeparatedBlob() {
        float[][] points = TestData.blobs(CENTRES, 400, 2);
        float[] c = seed(TestData.dataset(points, 300), 5, 2, new ScalarKernels(), 7);
        Set<Integer> blobs = new HashSet<>();
        for (int j = 0; j < 5; j++) {
            int nearest = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int b = 0; b < CENTRES.length; b++) {
                double dist = 0;
                for (int f = 0; f < 3; f++) {
                    double diff = c[j * 3 + f] - CENTRES[b][f];
                    dist += diff * diff;
                }
                if (dist < best) {
                    best = dist;
                    nearest = b;
                }
            }
            blobs.add(nearest);
        }
        assertEquals(5, blobs.size(), "two centroids seeded in one blob");
    }

    @Test
    void sameSeedGivesSameCentroidsForAnyThreadCount() {
        float[][] points = TestData.blobs(new float[][] {{0, 0, 0, 0}, {5, 5, 0, 0}, {0, 5, 5, 0}, {0, 0, 5, 5}},
                3000, 9);
        KMeansKernels kernels = Kernels.select("auto").kernels();
        float[] one = seed(TestData.dataset(points, 500), 12, 1, kernels, 2024);
        for (int threads : new int[] {2, 3, 8}) {
            assertArrayEquals(one, seed(TestData.dataset(points, 500), 12, threads, kernels, 2024), threads + " threads");
        }
    }

    @Test
    void fitReachesTheInertiaOfKMeansPlusPlus() {
        float[][] points = TestData.blobs(new float[][] {{0, 0}, {6, 0}, {0, 6}, {6, 6}, {3, 12}, {12, 3}}, 1000, 4);
        Dataset data = TestData.dataset(points, 1024);
        KMeansParams params = new KMeansParams(6, 300, 1e-6, 1, 11);
        try (BlockExecutor executor = new BlockExecutor(2)) {
            double variance = FeatureStats.of(data, executor).meanVariance();
            KMeansKernels kernels = new ScalarKernels();
            double plusPlus = KMeans.fit(data, params, Initialization.KMEANS_PLUS_PLUS, kernels, executor,
                    KMeansListener.NONE, variance).result().inertia();
            double parallel = KMeans.fit(data, params, Initialization.KMEANS_PARALLEL, kernels, executor,
                    KMeansListener.NONE, variance).result().inertia();
            assertEquals(plusPlus, parallel, 1e-3 * plusPlus);
        }
    }

    @Test
    void weightedCustomersActLikeRepeatedOnes() {
        float[][] points = {{0, 0}, {0, 1}, {9, 9}, {9, 10}, {30, 0}};
        float[] weights = {1, 1, 1, 1, 0};
        float[] c = seed(TestData.dataset(points, 2, weights), 2, 1, new ScalarKernels(), 3);
        for (int j = 0; j < 2; j++) {
            assertTrue(c[j * 2] != 30, "a customer of weight 0 was seeded");
        }
    }

    @Test
    void fewerDistinctCustomersThanKIsBadInput() {
        float[][] points = {{1, 1}, {1, 1}, {2, 2}, {2, 2}, {1, 1}};
        BadInputException e = assertThrows(BadInputException.class,
                () -> seed(TestData.dataset(points, 2), 3, 1, new ScalarKernels(), 1));
        assertTrue(e.getMessage().contains("only 2 distinct customers"), e.getMessage());
    }
}
