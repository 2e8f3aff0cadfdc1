package dev.segmenta.engine.prep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.eval.Golden;
import dev.segmenta.io.FeatureBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PCA against scikit-learn, the covariance merge and the Jacobi eigen-decomposition against their definitions. */
class PcaTest {

    static Stream<Golden> cases() {
        return Golden.cases().stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesScikitLearnUpToSignForAnyBlockingAndThreadCount(Golden g) {
        JsonNode expected = g.expected().get("pca");
        double[] ratio = g.vector(expected.get("explainedVarianceRatio"));
        double[] variance = g.vector(expected.get("explainedVariance"));
        int d = ratio.length;
        for (int blockRows : new int[] {3, 50, 1000}) {
            for (int threads : new int[] {1, 2}) {
                try (BlockExecutor executor = new BlockExecutor(threads)) {
                    Dataset data = g.dataset(blockRows);
                    Pca pca = Pca.fit(Covariance.of(data, executor), d);
                    String where = g + ", blocks of " + blockRows;
                    assertArrayEquals(g.vector(expected.get("mean")), pca.mean(), 1e-9, where);
                    assertArrayEquals(ratio, pca.explainedVarianceRatio(), 1e-9, where);
                    for (int c = 0; c < d; c++) {
                        assertEquals(variance[c], pca.explainedVariance()[c], 1e-9 * variance[0], where);
                        double[] sk = g.vector(expected.get("components").get(c));
                        double sign = Math.signum(dot(sk, pca.components()[c]));
                        for (int f = 0; f < d; f++) {
                            assertEquals(sk[f], sign * pca.components()[c][f], 1e-6, where + ", component " + c);
                        }
                    }
                    FeatureBatch projected = pca.project(data.block(0));
                    for (int i = 0; i < Math.min(5, projected.rows()); i++) {
                        double[] sk = g.vector(expected.get("projected").get(i));
                        for (int c = 0; c < d; c++) {
                            double sign = Math.signum(dot(g.vector(expected.get("components").get(c)),
                                    pca.components()[c]));
                            assertEquals(sk[c], sign * projected.value(i, c), 1e-4 * (1 + Math.abs(sk[c])), where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void streamedAndInMemoryCovarianceAreBitIdentical() {
        float[][] points = TestData.blobs(new float[][] {{1e4f, -3, 7}, {1e4f + 5, 2, 0}}, 3000, 2);
        Dataset data = TestData.dataset(points, 700);
        Covariance.Accumulator streamed = new Covariance.Accumulator(3);
        for (FeatureBatch block : data.blocks()) {
            streamed.add(block);
        }
        Covariance a = streamed.result();
        try (BlockExecutor executor = new BlockExecutor(2)) {
            Covariance b = Covariance.of(data, executor);
            assertArrayEquals(a.mean(), b.mean());
            for (int f = 0; f < 3; f++) {
                assertArrayEquals(a.matrix()[f], b.matrix()[f]);
            }
        }
    }

    @Test
    void covarianceIsAccurateWithALargeOffset() {
        // Values 1e6 + {0, 1, 2, 3}: naive Σx² − n·x̄² in float would lose every digit.
        float[][] points = new float[4000][1];
        for (int i = 0; i < points.length; i++) {
            points[i][0] = 1e6f + i % 4;
        }
        try (BlockExecutor executor = new BlockExecutor(1)) {
            Covariance c = Covariance.of(TestData.dataset(points, 333), executor);
            assertEquals(1e6 + 1.5, c.mean()[0], 1e-9);
            assertEquals(1.25 * 4000 / 3999, c.matrix()[0][0], 1e-9);
        }
    }

    @Test
    void scalingTheCovarianceEqualsTheCovarianceOfScaledData() {
        float[][] points = TestData.blobs(new float[][] {{10, 200, -5}}, 2000, 9);
        Dataset data = TestData.dataset(points, 512);
        try (BlockExecutor executor = new BlockExecutor(1)) {
            Covariance raw = Covariance.of(data, executor);
            Scaling scaling = new Scaling("test", new double[] {10, 150, 0}, new double[] {2, 0.5, 4});
            Covariance mapped = raw.scaled(scaling);
            for (FeatureBatch block : data.blocks()) {
                scaling.apply(block);
            }
            Covariance direct = Covariance.of(data, executor);
            for (int f = 0; f < 3; f++) {
                assertEquals(direct.mean()[f], mapped.mean()[f], 1e-5);
                assertArrayEquals(direct.matrix()[f], mapped.matrix()[f], 1e-4);
            }
        }
    }

    @Test
    void jacobiReconstructsRandomSymmetricMatricesWithOrthonormalVectors() {
        SplittableRandom random = new SplittableRandom(4);
        for (int n : new int[] {1, 2, 3, 7, 16, 40}) {
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    a[i][j] = random.nextGaussian();
                    a[j][i] = a[i][j];
                }
            }
            JacobiEigen.Result r = JacobiEigen.decompose(a);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    assertEquals(true, r.values()[i] <= r.values()[i - 1], "descending");
                }
                for (int j = 0; j < n; j++) {
                    double reconstructed = 0;
                    double gram = 0;
                    for (int c = 0; c < n; c++) {
                        reconstructed += r.vectors()[c][i] * r.values()[c] * r.vectors()[c][j];
                        gram += r.vectors()[i][c] * r.vectors()[j][c];
                    }
                    assertEquals(a[i][j], reconstructed, 1e-12 * n, "A = V Λ Vᵀ, n = " + n);
                    assertEquals(i == j ? 1 : 0, gram, 1e-13 * n, "V orthonormal, n = " + n);
                }
            }
        }
    }

    @Test
    void jacobiKnowsADiagonalAndA2x2() {
        JacobiEigen.Result diagonal = JacobiEigen.decompose(new double[][] {{1, 0, 0}, {0, 3, 0}, {0, 0, 2}});
        assertArrayEquals(new double[] {3, 2, 1}, diagonal.values());
        JacobiEigen.Result r = JacobiEigen.decompose(new double[][] {{2, 1}, {1, 2}});
        assertArrayEquals(new double[] {3, 1}, r.values(), 1e-15);
        assertEquals(1 / Math.sqrt(2), Math.abs(r.vectors()[0][0]), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> JacobiEigen.decompose(new double[][] {{1, 2}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> JacobiEigen.decompose(new double[][] {{Double.NaN}}));
    }

    @Test
    void componentCountIsChecked() {
        try (BlockExecutor executor = new BlockExecutor(1)) {
            Covariance c = Covariance.of(TestData.dataset(new float[][] {{1, 2}, {3, 5}, {4, 4}}, 2), executor);
            assertThrows(IllegalArgumentException.class, () -> Pca.fit(c, 3));
            assertThrows(IllegalArgumentException.class, () -> Pca.fit(c, 0));
            assertEquals(1, Pca.fit(c, 2).leading(1).count());
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
