package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.eval.AdjustedRandIndex;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgglomerativeTest {

    static double[] rowMajor(float[][] points) {
        int d = points[0].length;
        double[] x = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            for (int f = 0; f < d; f++) {
                x[i * d + f] = points[i][f];
            }
        }
        return x;
    }

    static Dendrogram linkage(float[][] points, double[] weights, Linkage linkage, int threads) {
        try (BlockExecutor executor = new BlockExecutor(threads)) {
            return Agglomerative.linkage(rowMajor(points), weights, points.length, points[0].length, linkage, executor);
        }
    }

    /** scipy's linkage matrix, merge for merge: the same clusters joined, heights to 1e-6 relative, the same sizes. */
    @ParameterizedTest
    @CsvSource({"small,ward", "small,complete", "small,average", "small,single",
                "blobs,ward", "blobs,complete", "blobs,average", "blobs,single"})
    void mergesAreScipys(String data, String method) {
        float[][] points = Golden.points("linkage-" + data + ".csv");
        double[][] expected = Golden.table("linkage-" + data + "-" + method + ".csv");
        Dendrogram z = linkage(points, null, Linkage.valueOf(method.toUpperCase()), 2);
        assertEquals(expected.length, z.merges());
        for (int i = 0; i < expected.length; i++) {
            String where = data + " " + method + " merge " + i;
            assertEquals((int) expected[i][0], z.left(i), where);
            assertEquals((int) expected[i][1], z.right(i), where);
            assertEquals(expected[i][2], z.height(i), 1e-6 * expected[i][2], where);
            assertEquals(expected[i][3], z.size(i), where);
        }
    }

    /**
     * Ward over weighted points is exact for clusters: the hierarchy of the clusters an exact run
     * has at some step, each weighted by its size, continues with exactly that run's later merges.
     */
    @Test
    void weightedWardContinuesTheExactHierarchy() {
        float[][] points = TestData.blobs(new float[][] {{0, 0, 0}, {6, 0, 2}, {0, 7, -3}, {5, 5, 5}}, 40, 9);
        int n = points.length;
        Dendrogram full = linkage(points, null, Linkage.WARD, 1);
        int clusters = 25;
        int[] labels = full.cut(clusters);
        double[] sums = new double[clusters * 3];
        double[] weights = new double[clusters];
        for (int i = 0; i < n; i++) {
            weights[labels[i]]++;
            for (int f = 0; f < 3; f++) {
                sums[labels[i] * 3 + f] += points[i][f];
            }
        }
        float[][] means = new float[clusters][3];
        double[] exactMeans = new double[clusters * 3];
        for (int j = 0; j < clusters; j++) {
            for (int f = 0; f < 3; f++) {
                exactMeans[j * 3 + f] = sums[j * 3 + f] / weights[j];
                means[j][f] = (float) exactMeans[j * 3 + f];
            }
        }
        Dendrogram top;
        try (BlockExecutor executor = new BlockExecutor(1)) {
            top = Agglomerative.linkage(exactMeans, weights, clusters, 3, Linkage.WARD, executor);
        }
        for (int i = 0; i < clusters - 1; i++) {
            int merge = n - clusters + i;
            assertEquals(full.height(merge), top.height(i), 1e-9 * full.height(merge), "merge " + merge);
            assertEquals(full.size(merge), top.size(i), "merge " + merge);
        }
        for (int k = 1; k <= clusters; k++) {
            int[] coarse = full.cut(k);
            int[] viaTop = top.cut(k);
            int[] composed = new int[n];
            for (int i = 0; i < n; i++) {
                composed[i] = viaTop[labels[i]];
            }
            assertArrayEquals(coarse, composed, "k=" + k);
        }
    }

    @Test
    void cutByCountAndByHeight() {
        float[][] points = {{0}, {1}, {10}, {11}, {30}};
        Dendrogram z = linkage(points, null, Linkage.SINGLE, 1);
        assertArrayEquals(new double[] {1, 1, 9, 19}, new double[] {z.height(0), z.height(1), z.height(2), z.height(3)});
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, z.cut(3));
        assertArrayEquals(new int[] {0, 0, 0, 0, 1}, z.cut(2));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, z.cut(5));
        assertEquals(3, z.clustersAtHeight(1.0));
        assertEquals(3, z.clustersAtHeight(8.9));
        assertEquals(2, z.clustersAtHeight(9.0));
        assertEquals(5, z.clustersAtHeight(0.5));
        assertEquals(5.0, z.cutHeight(3));
        assertThrows(IllegalArgumentException.class, () -> z.cut(0));
        assertThrows(IllegalArgumentException.class, () -> z.cut(6));
    }

    /** The parallel scans (above 8,192 live clusters) give the sequential answer. */
    @Test
    void sameDendrogramForAnyThreadCount() {
        SplittableRandom random = new SplittableRandom(4);
        float[][] points = new float[16_500][2];
        for (float[] p : points) {
            p[0] = (float) random.nextGaussian();
            p[1] = (float) random.nextGaussian();
        }
        for (Linkage linkage : new Linkage[] {Linkage.WARD, Linkage.SINGLE}) {
            Dendrogram one = linkage(points, null, linkage, 1);
            Dendrogram three = linkage(points, null, linkage, 3);
            for (int i = 0; i < one.merges(); i++) {
                assertEquals(one.left(i), three.left(i), linkage + " merge " + i);
                assertEquals(one.right(i), three.right(i), linkage + " merge " + i);
                assertEquals(one.height(i), three.height(i), linkage + " merge " + i);
            }
        }
    }

    /** With micro-clusters that k-means finds exactly (tight groups), two-stage Ward is the exact hierarchy's top. */
    @Test
    void twoStageWardOnExactMicroClustersEqualsTheExactCut() {
        SplittableRandom random = new SplittableRandom(12);
        int groups = 30;
        float[][] centres = new float[groups][2];
        for (float[] c : centres) {
            c[0] = (float) (random.nextDouble() * 100);
            c[1] = (float) (random.nextDouble() * 100);
        }
        float[][] points = new float[groups * 7][];
        for (int i = 0; i < points.length; i++) {
            float[] c = centres[i % groups];
            points[i] = new float[] {c[0] + (float) (1e-3 * random.nextGaussian()), c[1] + (float) (1e-3 * random.nextGaussian())};
        }
        Dataset data = TestData.dataset(points, 50);
        KMeansParams params = new KMeansParams(1, 100, 0, 3, 5);
        try (BlockExecutor executor = new BlockExecutor(2)) {
            Agglomerative.Fit exact = Agglomerative.fit(data, Linkage.WARD, Agglomerative.Cut.clusters(6), 0, params,
                    Kernels.select("auto").kernels(), executor, KMeansListener.NONE, PhaseListener.NONE);
            Agglomerative.Fit twoStage = Agglomerative.fit(data, Linkage.WARD, Agglomerative.Cut.clusters(6), groups,
                    params, Kernels.select("auto").kernels(), executor, KMeansListener.NONE, PhaseListener.NONE);
            assertEquals(groups, twoStage.dendrogram().leaves());
            assertEquals(1.0, ari(exact.labels(), twoStage.labels(), 6), 1e-12);
            assertEquals(exact.partition().inertia(), twoStage.partition().inertia(), 1e-6 * exact.partition().inertia());
            for (int i = 0; i < groups - 1; i++) {
                int merge = exact.dendrogram().merges() - (groups - 1) + i;
                assertEquals(exact.dendrogram().height(merge), twoStage.dendrogram().height(i),
                        1e-3 * exact.dendrogram().height(merge), "merge " + merge);
            }
        }
    }

    @Test
    void fitCutsAtAHeightAndDescribesTheSegments() {
        float[][] points = {{0, 0}, {0, 1}, {1, 0}, {10, 10}, {10, 11}, {30, 30}};
        try (BlockExecutor executor = new BlockExecutor(1)) {
            Agglomerative.Fit fit = Agglomerative.fit(TestData.dataset(points, 4), Linkage.COMPLETE,
                    Agglomerative.Cut.height(2.0), 0, new KMeansParams(1, 10, 0, 1, 1), Kernels.select("scalar").kernels(),
                    executor, KMeansListener.NONE, PhaseListener.NONE);
            assertEquals(3, fit.clusters());
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2}, DbscanTest.flat(fit.labels()));
            assertArrayEquals(new long[] {3, 2, 1}, fit.partition().sizes());
            assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 10, 10.5f, 30, 30}, fit.partition().centroids(), 1e-6f);
            // 3 points at squared distances 2/9, 5/9, 5/9 from (1/3, 1/3); 2 at 1/4 from (10, 10.5)
            assertEquals(12 / 9.0 + 0.5, fit.partition().inertia(), 1e-6);
            assertEquals(2.0, fit.cutHeight());
        }
    }

    @Test
    void refusesWhatItCannotDoExactly() {
        float[][] many = new float[Agglomerative.MAX_EXACT_ROWS + 1][1];
        for (int i = 0; i < many.length; i++) {
            many[i][0] = i;
        }
        BadInputException tooMany = assertThrows(BadInputException.class, () -> fit(many, Linkage.WARD, 0));
        assertTrue(tooMany.getMessage().contains("--micro-clusters"), tooMany.getMessage());

        float[][] matrix = Arrays.copyOf(many, AgglomerativeLanceWilliams.MAX_POINTS + 1);
        BadInputException noMatrix = assertThrows(BadInputException.class, () -> fit(matrix, Linkage.AVERAGE, 0));
        assertTrue(noMatrix.getMessage().contains("distance matrix") && noMatrix.getMessage().contains("--micro-clusters"),
                noMatrix.getMessage());

        float[][] few = {{0}, {1}, {2}};
        assertThrows(BadInputException.class, () -> fit(few, Linkage.WARD, 3));
        BadInputException k = assertThrows(BadInputException.class, () -> {
            try (BlockExecutor executor = new BlockExecutor(1)) {
                Agglomerative.fit(TestData.dataset(few, 3), Linkage.WARD, Agglomerative.Cut.clusters(4), 0,
                        new KMeansParams(1, 10, 0, 1, 1), Kernels.select("scalar").kernels(), executor,
                        KMeansListener.NONE, PhaseListener.NONE);
            }
        });
        assertTrue(k.getMessage().contains("lower --k to at most 3"), k.getMessage());
        BadInputException zeroWeight = assertThrows(BadInputException.class, () -> {
            try (BlockExecutor executor = new BlockExecutor(1)) {
                Agglomerative.fit(TestData.dataset(few, 3, new float[] {1, 0, 1}), Linkage.WARD,
                        Agglomerative.Cut.clusters(2), 0, new KMeansParams(1, 10, 0, 1, 1),
                        Kernels.select("scalar").kernels(), executor, KMeansListener.NONE, PhaseListener.NONE);
            }
        });
        assertTrue(zeroWeight.getMessage().startsWith("row 2 has weight 0"), zeroWeight.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Agglomerative.Cut.clusters(0));
        assertThrows(IllegalArgumentException.class, () -> Agglomerative.Cut.height(-1));
    }

    private static Agglomerative.Fit fit(float[][] points, Linkage linkage, int micro) {
        try (BlockExecutor executor = new BlockExecutor(1)) {
            return Agglomerative.fit(TestData.dataset(points, 16_384), linkage, Agglomerative.Cut.clusters(2), micro,
                    new KMeansParams(1, 10, 0, 1, 1), Kernels.select("scalar").kernels(), executor,
                    KMeansListener.NONE, PhaseListener.NONE);
        }
    }

    static double ari(int[][] a, int[][] b, int k) {
        AdjustedRandIndex ari = new AdjustedRandIndex(k, k);
        for (int i = 0; i < a.length; i++) {
            ari.add(a[i], b[i], a[i].length);
        }
        return ari.value();
    }
}
