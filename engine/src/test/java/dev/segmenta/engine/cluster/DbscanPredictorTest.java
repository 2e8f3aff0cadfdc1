package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.kernels.ScalarKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbscanPredictorTest {

    /**
     * Training customers keep their labels (core points and noise exactly), and any customer gets the
     * segment of its nearest core point within eps, as a brute-force search finds it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"moons", "blobs5d", "varied"})
    void labelsByTheNearestCorePointWithinEps(String name) {
        float[][] points = Golden.points("dbscan-" + name + ".csv");
        Map<String, String> expected = Golden.properties("dbscan-" + name + ".expected");
        double eps = Double.parseDouble(expected.get("eps"));
        int minSamples = Integer.parseInt(expected.get("min_samples"));
        int d = points[0].length;
        Dataset data = TestData.dataset(points, 64);
        Dbscan.Result fit = DbscanTest.fit(data, eps, minSamples, SpatialIndex.AUTO, new ScalarKernels(), 2);
        int[] labels = DbscanTest.flat(fit.labels());
        boolean[] core = new boolean[points.length];
        List<float[]> corePoints = new ArrayList<>();
        List<Integer> coreSegments = new ArrayList<>();
        int at = 0;
        for (boolean[] block : fit.core()) {
            for (boolean c : block) {
                core[at] = c;
                if (c) {
                    corePoints.add(points[at]);
                    coreSegments.add(labels[at]);
                }
                at++;
            }
        }
        float[][] cores = corePoints.toArray(new float[0][]);
        int[] segments = coreSegments.stream().mapToInt(Integer::intValue).toArray();

        float[][] queries = new float[points.length + 200][];
        System.arraycopy(points, 0, queries, 0, points.length);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = points.length; i < queries.length; i++) {
            float[] base = points[random.nextInt(points.length)];
            queries[i] = new float[d];
            for (int f = 0; f < d; f++) {
                queries[i][f] = base[f] + (float) (eps * 0.7 * random.nextGaussian());
            }
        }
        for (SpatialIndex index : new SpatialIndex[] {SpatialIndex.GRID, SpatialIndex.KDTREE}) {
            DbscanPredictor predictor = new DbscanPredictor(cores, segments, d, eps, index, new ScalarKernels());
            Dataset q = TestData.dataset(queries, queries.length);
            int[] predicted = new int[queries.length];
            float[] distances = new float[queries.length];
            predictor.predict(q.block(0).values(), queries.length, predicted, distances);
            for (int i = 0; i < queries.length; i++) {
                int want = -1;
                float best = Float.POSITIVE_INFINITY;
                for (int c = 0; c < cores.length; c++) {
                    float dist = KDistanceTest.squared(queries[i], cores[c]);
                    if (dist <= (float) (eps * eps) && dist < best) {
                        best = dist;
                        want = segments[c];
                    }
                }
                String where = name + " " + index + " query " + i;
                assertEquals(want, predicted[i], where);
                if (want >= 0) {
                    assertEquals(best, distances[i], where);
                } else {
                    assertTrue(Float.isNaN(distances[i]), where);
                }
                if (i < points.length && (core[i] || labels[i] < 0)) {
                    assertEquals(labels[i], predicted[i], where + ": a core point or noise keeps its label");
                }
            }
        }
    }
}
