package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import dev.segmenta.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbscanTest {

    private static final KMeansKernels SCALAR = new ScalarKernels();
    private static final KMeansKernels AUTO = Kernels.select("auto").kernels();

    static Dbscan.Result fit(Dataset data, double eps, int minSamples, SpatialIndex index, KMeansKernels kernels,
                             int threads) {
        try (BlockExecutor executor = new BlockExecutor(threads)) {
            return new Dbscan(eps, minSamples, index).fit(data, kernels, executor, PhaseListener.NONE);
        }
    }

    static int[] flat(int[][] blocks) {
        return Arrays.stream(blocks).flatMapToInt(Arrays::stream).toArray();
    }

    /** Exactly scikit-learn's labels (the same numbers, not only the same partition), for every index, backend and thread count. */
    @ParameterizedTest
    @ValueSource(strings = {"blobs", "moons", "varied", "blobs5d", "weighted"})
    void labelsAreScikitLearns(String name) {
        float[][] points = Golden.points("dbscan-" + name + ".csv");
        Map<String, String> expected = Golden.properties("dbscan-" + name + ".expected");
        float[] weights = expected.containsKey("weights") ? Golden.floats(expected.get("weights")) : null;
        double eps = Double.parseDouble(expected.get("eps"));
        int minSamples = Integer.parseInt(expected.get("min_samples"));
        int[] labels = Golden.ints(expected.get("labels"));
        for (SpatialIndex index : SpatialIndex.values()) {
            for (KMeansKernels kernels : List.of(SCALAR, AUTO)) {
                for (int threads : new int[] {1, 3}) {
                    Dbscan.Result r = fit(TestData.dataset(points, 37, weights), eps, minSamples, index, kernels, threads);
                    String where = name + " " + index + " " + kernels.name() + " " + threads + " threads";
                    assertArrayEquals(labels, flat(r.labels()), where);
                    assertEquals(Arrays.stream(labels).max().orElse(-1) + 1, r.clusters(), where);
                    assertEquals(Arrays.stream(labels).filter(l -> l < 0).count(), r.noise(), where);
                }
            }
        }
    }

    /**
     * Against a direct transcription of scikit-learn's algorithm (all neighbourhoods, then a
     * depth-first expansion from each unlabelled core point in input order), on data with
     * duplicates, weights and clusters of every density.
     */
    @Test
    void matchesTheNeighbourhoodExpansionOnRandomData() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 6; trial++) {
            int d = 1 + trial;
            int n = 700 + 150 * trial;
            float[][] points = new float[n][d];
            for (int i = 0; i < n; i++) {
                int centre = random.nextInt(4);
                double spread = 0.2 + 0.4 * centre;
                for (int f = 0; f < d; f++) {
                    points[i][f] = (float) (3 * centre * ((f % 2) * 2 - 1) + spread * random.nextGaussian());
                }
                if (i > 0 && random.nextInt(20) == 0) {
                    points[i] = points[random.nextInt(i)].clone();
                }
            }
            float[] weights = trial % 2 == 0 ? null : new float[n];
            if (weights != null) {
                for (int i = 0; i < n; i++) {
                    weights[i] = random.nextInt(4) * 0.5f;
                }
            }
            double eps = 0.25 + 0.1 * d;
            int minSamples = 3 + trial;
            Reference expected = Reference.of(points, weights, (float) (eps * eps), minSamples);
            for (SpatialIndex index : new SpatialIndex[] {SpatialIndex.GRID, SpatialIndex.KDTREE}) {
                Dbscan.Result r = fit(TestData.dataset(points, 128, weights), eps, minSamples, index, SCALAR, 2);
                String where = "trial " + trial + " " + index;
                assertArrayEquals(expected.labels, flat(r.labels()), where);
                boolean[] core = new boolean[n];
                float[] distances = new float[n];
                int at = 0;
                for (int b = 0; b < r.core().length; b++) {
                    for (int i = 0; i < r.core()[b].length; i++, at++) {
                        core[at] = r.core()[b][i];
                        distances[at] = r.squaredDistances()[b][i];
                    }
                }
                assertArrayEquals(expected.core, core, where);
                assertArrayEquals(expected.distances, distances, where);
            }
        }
    }

    @Test
    void minSamplesOneMakesEveryPointCoreAndClustersTheEpsComponents() {
        float[][] points = {{0}, {1}, {2}, {10}, {11}, {30}};
        Dbscan.Result r = fit(TestData.dataset(points, 4), 1.0, 1, SpatialIndex.AUTO, SCALAR, 1);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2}, flat(r.labels()));
        assertEquals(6, r.corePoints());
        assertEquals(0, r.noise());
    }

    @Test
    void sparseDataIsAllNoise() {
        float[][] points = {{0, 0}, {5, 5}, {10, 0}, {0, 10}};
        Dbscan.Result r = fit(TestData.dataset(points, 4), 1.0, 2, SpatialIndex.AUTO, SCALAR, 1);
        assertArrayEquals(new int[] {-1, -1, -1, -1}, flat(r.labels()));
        assertEquals(0, r.clusters());
        assertTrue(Float.isNaN(r.squaredDistances()[0][0]));
    }

    /** The paper's border rule: a point reachable from two clusters goes to the one found first, and is not a bridge. */
    @Test
    void aBorderPointBetweenTwoClustersJoinsTheFirstAndDoesNotMergeThem() {
        float[][] points = {{0}, {0.05f}, {0.1f}, {0.2f}, {1.1f}, {2.0f}, {2.06f}, {2.1f}, {2.2f}};
        Dbscan.Result r = fit(TestData.dataset(points, 9), 0.95, 4, SpatialIndex.GRID, SCALAR, 1);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1}, flat(r.labels()));
        assertEquals(8, r.corePoints());
        assertEquals(0.81f, r.squaredDistances()[0][4], 1e-5f);
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0, 5, SpatialIndex.AUTO));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(-1, 5, SpatialIndex.AUTO));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(Double.NaN, 5, SpatialIndex.AUTO));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(Double.POSITIVE_INFINITY, 5, SpatialIndex.AUTO));
        assertThrows(IllegalArgumentException.class, () -> new Dbscan(0.5, 0, SpatialIndex.AUTO));
    }

    /** scikit-learn's {@code dbscan_inner} over brute-force neighbourhoods, with float distances summed feature by feature. */
    record Reference(int[] labels, boolean[] core, float[] distances) {

        static Reference of(float[][] x, float[] w, float eps2, int minSamples) {
            int n = x.length;
            List<int[]> neighbourhoods = new ArrayList<>();
            boolean[] core = new boolean[n];
            for (int i = 0; i < n; i++) {
                List<Integer> near = new ArrayList<>();
                double weight = 0;
                for (int j = 0; j < n; j++) {
                    if (squared(x[i], x[j]) <= eps2) {
                        near.add(j);
                        weight += w == null ? 1 : w[j];
                    }
                }
                neighbourhoods.add(near.stream().mapToInt(Integer::intValue).toArray());
                core[i] = weight >= minSamples;
            }
            int[] labels = new int[n];
            Arrays.fill(labels, -1);
            int label = 0;
            Deque<Integer> stack = new ArrayDeque<>();
            for (int start = 0; start < n; start++) {
                if (labels[start] != -1 || !core[start]) {
                    continue;
                }
                int i = start;
                while (true) {
                    if (labels[i] == -1) {
                        labels[i] = label;
                        if (core[i]) {
                            for (int v : neighbourhoods.get(i)) {
                                if (labels[v] == -1) {
                                    stack.push(v);
                                }
                            }
                        }
                    }
                    if (stack.isEmpty()) {
                        break;
                    }
                    i = stack.pop();
                }
                label++;
            }
            float[] distances = new float[n];
            for (int i = 0; i < n; i++) {
                if (core[i]) {
                    distances[i] = 0;
                } else if (labels[i] < 0) {
                    distances[i] = Float.NaN;
                } else {
                    float best = Float.POSITIVE_INFINITY;
                    for (int j : neighbourhoods.get(i)) {
                        if (core[j] && labels[j] == labels[i]) {
                            best = Math.min(best, squared(x[i], x[j]));
                        }
                    }
                    distances[i] = best;
                }
            }
            return new Reference(labels, core, distances);
        }

        private static float squared(float[] a, float[] b) {
            float s = 0;
            for (int f = 0; f < a.length; f++) {
                float diff = a[f] - b[f];
                s += diff * diff;
            }
            return s;
        }
    }
}
