package dev.segmenta.engine.eval;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import dev.segmenta.kernels.ScalarKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Silhouette, Calinski-Harabasz and Davies-Bouldin against scikit-learn's values on the same small data. */
class QualityMetricsTest {

    static Stream<Golden> cases() {
        return Golden.cases().stream();
    }

    private static List<KMeansKernels> backends() {
        return List.of(new ScalarKernels(), Kernels.select("auto").kernels());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void silhouetteMatchesScikitLearnForEveryBackendBlockingAndThreadCount(Golden g) {
        double[] samples = g.vector(g.expected().get("silhouetteSamples"));
        for (KMeansKernels kernels : backends()) {
            for (int blockRows : new int[] {7, 64, 1000}) {
                for (int threads : new int[] {1, 2}) {
                    try (BlockExecutor executor = new BlockExecutor(threads)) {
                        Silhouette.Estimate s = Silhouette.exact(g.dataset(blockRows), g.blockLabels(blockRows), g.k(),
                                kernels, executor);
                        String where = g + ", " + kernels.name() + ", blocks of " + blockRows + ", threads " + threads;
                        assertEquals(g.value("silhouette"), s.value(), 1e-6, where);
                        assertTrue(s.exact(), where);
                        assertEquals(0, s.halfWidth95(), where);
                        for (int i = 0; i < samples.length; i++) {
                            assertEquals(samples[i], s.values()[i], 1e-5, where + ", customer " + i);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void calinskiHarabaszAndDaviesBouldinMatchScikitLearn(Golden g) {
        for (int blockRows : new int[] {5, 64, 1000}) {
            try (BlockExecutor executor = new BlockExecutor(2)) {
                Dataset data = g.dataset(blockRows);
                int[][] labels = g.blockLabels(blockRows);
                ClusterMoments moments = ClusterMoments.of(data, labels, g.k(), executor);
                double ch = CalinskiHarabasz.of(moments);
                double db = DaviesBouldin.of(data, labels, moments, executor);
                assertEquals(g.value("calinskiHarabasz"), ch, 1e-9 * g.value("calinskiHarabasz"), g.name());
                assertEquals(g.value("daviesBouldin"), db, 1e-9, g.name());
            }
        }
    }

    @Test
    void oneSegmentOrOneCustomerPerSegmentIsRejected() {
        float[][] points = {{0, 0}, {1, 1}, {2, 2}};
        Dataset data = TestData.dataset(points, 2);
        try (BlockExecutor executor = new BlockExecutor(1)) {
            int[][] single = {{0, 0}, {0}};
            assertThrows(IllegalArgumentException.class,
                    () -> CalinskiHarabasz.of(ClusterMoments.of(data, single, 2, executor)));
            assertThrows(IllegalArgumentException.class,
                    () -> Silhouette.exact(data, single, 2, new ScalarKernels(), executor));
            int[][] each = {{0, 1}, {2}};
            assertThrows(IllegalArgumentException.class,
                    () -> DaviesBouldin.of(data, each, ClusterMoments.of(data, each, 3, executor), executor));
        }
    }

    @Test
    void sampledSilhouetteIntervalsCoverTheExactScore() {
        float[][] points = TestData.blobs(new float[][] {{0, 0, 0}, {3, 3, 0}, {0, 4, 4}, {6, 0, 2}}, 1500, 5);
        Dataset data = TestData.dataset(points, 1024);
        int[][] labels = new int[data.blockCount()][];
        for (int b = 0; b < labels.length; b++) {
            labels[b] = new int[data.block(b).rows()];
            for (int i = 0; i < labels[b].length; i++) {
                labels[b][i] = (b * 1024 + i) / 1500;
            }
        }
        KMeansKernels kernels = Kernels.select("auto").kernels();
        try (BlockExecutor executor = new BlockExecutor(2)) {
            double exact = Silhouette.exact(data, labels, 4, kernels, executor).value();
            int covered = 0;
            int runs = 40;
            SplittableRandom seeds = new SplittableRandom(1);
            for (int r = 0; r < runs; r++) {
                Silhouette.Estimate s = Silhouette.estimate(data, labels, 4, 400, seeds.nextLong(), kernels, executor);
                assertEquals(400, s.sampleSize());
                assertTrue(s.halfWidth95() > 0 && s.halfWidth95() < 0.05, "half-width " + s.halfWidth95());
                if (Math.abs(s.value() - exact) <= s.halfWidth95()) {
                    covered++;
                }
            }
            // A 95% interval covers the true score in 38 of 40 runs on average; 33 or fewer has probability < 0.3%.
            assertTrue(covered >= 34, covered + " of " + runs + " intervals covered the exact score " + exact);
        }
    }

    @Test
    void sampleIsStratifiedProportionallyWithTwoPerSegmentAtLeast() {
        int[] allocation = Silhouette.allocate(new long[] {9000, 990, 9, 1, 0}, 1000);
        assertEquals(900, allocation[0]);
        assertEquals(99, allocation[1]);
        assertEquals(2, allocation[2]);
        assertEquals(1, allocation[3]);
        assertEquals(0, allocation[4]);
    }
}
