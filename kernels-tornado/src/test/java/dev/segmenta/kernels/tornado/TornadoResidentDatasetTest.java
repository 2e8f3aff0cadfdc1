package dev.segmenta.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenta.kernels.KernelTestData;
import dev.segmenta.kernels.Kernels;
import dev.segmenta.kernels.PointBlocks;
import dev.segmenta.kernels.ScalarKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A dataset held on the device, resident and streamed, against the scalar kernels called block by
 * block: every per-block result must be what the host path gives for that block. Blocks have odd,
 * unequal sizes (the last one short, as in the engine) and the data has well-separated clusters, so
 * labels must be exactly equal.
 */
class TornadoResidentDatasetTest {

    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static final int[] ROWS = {1031, 1031, 1031, 517};
    private static final int D = 3;
    private static final int K = 5;

    private static TornadoKernels tornado;

    @BeforeAll
    static void startTornado() {
        tornado = (TornadoKernels) Kernels.select(TornadoKernelProvider.NAME).kernels();
    }

    /** Points around {@code K} far-apart centres, per block; weights when asked. */
    private static PointBlocks blobs(boolean weighted) {
        SplittableRandom random = new SplittableRandom(17);
        List<float[]> values = new ArrayList<>();
        List<float[]> weights = weighted ? new ArrayList<>() : null;
        for (int n : ROWS) {
            float[] x = new float[n * D];
            for (int i = 0; i < n; i++) {
                int centre = random.nextInt(K);
                for (int f = 0; f < D; f++) {
                    x[f * n + i] = (float) (centre * 20 + (f == 0 ? 5 : -3) * centre + random.nextGaussian());
                }
            }
            values.add(x);
            if (weighted) {
                weights.add(KernelTestData.weights(n, n));
            }
        }
        return new PointBlocks(values, ROWS, D, weights);
    }

    private static float[] centroids(PointBlocks points) {
        float[] c = new float[K * D];
        float[] x = points.values().getFirst();
        int n = ROWS[0];
        for (int j = 0; j < K; j++) {
            for (int f = 0; f < D; f++) {
                c[j * D + f] = x[f * n + 7 * j] + 0.5f;
            }
        }
        return c;
    }

    /** A graph holding at most {@code slots} blocks: fewer than the dataset has, so passes stream it in slabs. */
    private static DeviceMemory memoryFor(int slots, boolean weighted) {
        long perSlot = DeviceGraph.deviceBytes(D, ROWS[0], 1, K, weighted);
        return new DeviceMemory(slots * perSlot + perSlot / 2, Long.MAX_VALUE);
    }

    private static TornadoResidentDataset open(PointBlocks points, boolean resident, int maxCentroids) {
        DeviceMemory memory = resident ? DeviceMemory.of(tornado.device()) : memoryFor(3, points.weights() != null);
        return TornadoResidentDataset.open(tornado.device(), points, maxCentroids, memory);
    }

    /** Resident or streamed, unweighted or weighted. */
    static Stream<Arguments> placements() {
        return Stream.of(Arguments.of(true, false), Arguments.of(true, true), Arguments.of(false, false),
                Arguments.of(false, true));
    }

    @ParameterizedTest(name = "resident={0} weighted={1}")
    @MethodSource("placements")
    void lloydPassesGiveTheHostPathsPerBlockResults(boolean resident, boolean weighted) {
        PointBlocks points = blobs(weighted);
        float[] c = centroids(points);
        int blocks = ROWS.length;
        try (TornadoResidentDataset data = open(points, resident, K)) {
            assertTrue(data.description().contains(resident ? "resident on" : "streamed through"), data.description());
            double[][] counts = new double[blocks][K];
            double[][] sums = new double[blocks][K * D];
            double[] inertia = new double[blocks];
            data.assignAndAccumulate(c, K, counts, sums, inertia);
            int[][] labels = new int[blocks][];
            float[][] dist = new float[blocks][];
            for (int b = 0; b < blocks; b++) {
                labels[b] = new int[ROWS[b]];
                dist[b] = new float[ROWS[b]];
            }
            data.copyAssignments(labels, dist);
            double[] assignInertia = new double[blocks];
            data.assign(c, K, assignInertia);
            for (int b = 0; b < blocks; b++) {
                int n = ROWS[b];
                int[] wantLabels = new int[n];
                float[] wantDist = new float[n];
                double[] wantCounts = new double[K];
                double[] wantSums = new double[K * D];
                double want = SCALAR.assignAndAccumulate(points.values().get(b), n, D, points.weights(b), c, K,
                        wantLabels, wantDist, wantCounts, wantSums);
                assertArrayEquals(wantLabels, labels[b], "labels of block " + b);
                for (int i = 0; i < n; i++) {
                    assertTrue(KernelTestData.nearlyEqual(wantDist[i], dist[b][i]), "block " + b + " point " + i);
                }
                assertArrayEquals(wantCounts, counts[b], 1e-9, "counts of block " + b);
                assertArrayEquals(wantSums, sums[b], 1e-6, "sums of block " + b + " (the same double additions in the same order)");
                assertEquals(want, inertia[b], 1e-5 * want, "inertia of block " + b);
                assertEquals(want, assignInertia[b], 1e-5 * want, "assign-only inertia of block " + b);
            }
        }
    }

    @ParameterizedTest(name = "resident={0} weighted={1}")
    @MethodSource("placements")
    void seedingPassesGiveTheHostPathsPotentials(boolean resident, boolean weighted) {
        PointBlocks points = blobs(weighted);
        float[][] want = new float[ROWS.length][];
        float[] c = centroids(points);
        int blocks = ROWS.length;
        for (int b = 0; b < blocks; b++) {
            want[b] = new float[ROWS[b]];
            Arrays.fill(want[b], Float.POSITIVE_INFINITY);
        }
        try (TornadoResidentDataset data = open(points, resident, K)) {
            data.resetNearestDistance();
            for (int j = 0; j < 2; j++) {
                float[] centre = Arrays.copyOfRange(c, j * D, (j + 1) * D);
                double[] potential = new double[blocks];
                data.updateNearestDistance(centre, potential);
                for (int b = 0; b < blocks; b++) {
                    double expected = SCALAR.updateNearestDistance(points.values().get(b), ROWS[b], D, points.weights(b),
                            centre, want[b]);
                    assertEquals(expected, potential[b], 1e-5 * expected, "potential of block " + b + " after centre " + j);
                }
            }
            // Eleven candidates, more than one execution's worth of lanes (d + 2 = 5), none of them a centre
            // already, so that every one lowers the potential: a lane that returned the current potential
            // instead would be caught.
            int count = 11;
            float[] candidates = new float[count * D];
            for (int t = 0; t < count; t++) {
                System.arraycopy(c, (2 + t % 3) * D, candidates, t * D, D);
                candidates[t * D] += 0.1f * t;
            }
            double[][] trial = new double[blocks][count];
            data.candidatePotentials(candidates, count, trial);
            for (int t = 0; t < count; t++) {
                float[] candidate = Arrays.copyOfRange(candidates, t * D, (t + 1) * D);
                double total = 0;
                double current = 0;
                for (int b = 0; b < blocks; b++) {
                    float[] scratch = want[b].clone();
                    double expected = SCALAR.updateNearestDistance(points.values().get(b), ROWS[b], D, points.weights(b),
                            candidate, scratch);
                    assertEquals(expected, trial[b][t], 1e-5 * expected, "candidate " + t + " block " + b);
                    total += trial[b][t];
                    current += SCALAR.updateNearestDistance(points.values().get(b), ROWS[b], D, points.weights(b),
                            Arrays.copyOf(c, D), want[b].clone());
                }
                assertTrue(total < current, "candidate " + t + " must lower the potential: " + total + " vs " + current);
            }
            float[][] nearest = new float[blocks][];
            for (int b = 0; b < blocks; b++) {
                nearest[b] = new float[ROWS[b]];
            }
            data.copyNearestDistances(nearest);
            for (int b = 0; b < blocks; b++) {
                for (int i = 0; i < ROWS[b]; i++) {
                    assertTrue(KernelTestData.nearlyEqual(want[b][i], nearest[b][i]), "block " + b + " point " + i);
                }
            }
            data.resetNearestDistance();
            double[] fresh = new double[blocks];
            data.updateNearestDistance(Arrays.copyOfRange(c, 4 * D, 5 * D), fresh);
            for (int b = 0; b < blocks; b++) {
                float[] scratch = new float[ROWS[b]];
                Arrays.fill(scratch, Float.POSITIVE_INFINITY);
                double expected = SCALAR.updateNearestDistance(points.values().get(b), ROWS[b], D, points.weights(b),
                        Arrays.copyOfRange(c, 4 * D, 5 * D), scratch);
                assertEquals(expected, fresh[b], 1e-5 * expected, "after a reset, block " + b);
            }
        }
    }

    /** The kernels are compiled for one k; another one (more, or fewer) recompiles them and stays correct. */
    @ParameterizedTest(name = "planned k={0}")
    @CsvSource({"2", "7"})
    void anotherKRecompilesTheKernelsAndStaysCorrect(int planned) {
        PointBlocks points = blobs(false);
        float[] c = centroids(points);
        try (TornadoResidentDataset data = open(points, true, planned)) {
            long compiledOnce = data.compileNanos();
            double[] inertia = new double[ROWS.length];
            data.assign(c, K, inertia);
            assertTrue(data.compileNanos() > compiledOnce, "the kernels were compiled again for k=" + K);
            for (int b = 0; b < ROWS.length; b++) {
                float[] dist = new float[ROWS[b]];
                SCALAR.assign(points.values().get(b), ROWS[b], D, c, K, new int[ROWS[b]], dist);
                double want = 0;
                for (float v : dist) {
                    want += v;
                }
                assertEquals(want, inertia[b], 1e-5 * want, "block " + b);
            }
        }
    }

    @Test
    void perPointStateIsOnlyHandedOutForThePassThatMadeIt() {
        PointBlocks points = blobs(false);
        try (TornadoResidentDataset data = open(points, true, K)) {
            int[][] labels = new int[ROWS.length][ROWS[0]];
            float[][] dist = new float[ROWS.length][ROWS[0]];
            assertThrows(IllegalStateException.class, () -> data.copyAssignments(labels, dist));
            data.resetNearestDistance();
            data.updateNearestDistance(Arrays.copyOf(centroids(points), D), new double[ROWS.length]);
            assertThrows(IllegalStateException.class, () -> data.copyAssignments(labels, dist));
            data.assign(centroids(points), K, new double[ROWS.length]);
            assertThrows(IllegalStateException.class, () -> data.copyNearestDistances(dist));
        }
    }

    @Test
    void smallDatasetsStayWithThePerBlockCalls() {
        PointBlocks points = blobs(false);
        assertTrue(points.totalRows() < TornadoKernels.MIN_RESIDENT_ROWS);
        assertTrue(tornado.upload(points, K).isEmpty());
    }
}
