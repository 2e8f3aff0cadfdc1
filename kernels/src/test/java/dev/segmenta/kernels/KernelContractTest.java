package dev.segmenta.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden values and properties every {@link KMeansKernels} must satisfy on its own. A backend's test
 * extends this class (or {@link KernelParityTest}, which adds the comparison with the reference) and
 * supplies {@link #kernels()}.
 */
public abstract class KernelContractTest {

    /** The backend under test. */
    protected abstract KMeansKernels kernels();

    // Three points, column-major: (0,0), (1,0), (4,4).
    private static final float[] X = {0, 1, 4, 0, 0, 4};
    // Two centroids: (0,0) and (4,5).
    private static final float[] C = {0, 0, 4, 5};

    @Test
    void assignAndAccumulateMatchesHandComputedValues() {
        int[] labels = new int[3];
        float[] minDist = new float[3];
        double[] counts = {10, 0};
        double[] sums = {1, 1, 0, 0};
        double inertia = kernels().assignAndAccumulate(X, 3, 2, null, C, 2, labels, minDist, counts, sums);
        assertArrayEquals(new int[] {0, 0, 1}, labels);
        assertArrayEquals(new float[] {0, 1, 1}, minDist);
        assertArrayEquals(new double[] {12, 1}, counts, "counts are added to, not overwritten");
        assertArrayEquals(new double[] {2, 1, 4, 4}, sums);
        assertEquals(2.0, inertia);
    }

    @Test
    void weightsScaleCountsSumsAndInertia() {
        int[] labels = new int[3];
        float[] minDist = new float[3];
        double[] counts = new double[2];
        double[] sums = new double[4];
        double inertia = kernels().assignAndAccumulate(X, 3, 2, new float[] {1, 2, 3}, C, 2, labels, minDist, counts, sums);
        assertArrayEquals(new double[] {3, 3}, counts);
        assertArrayEquals(new double[] {2, 0, 12, 12}, sums);
        assertEquals(5.0, inertia);
    }

    @Test
    void reassignMovesOnlyThePointsThatChangeSegment() {
        // Totals for labels {0, 0, 1}; centroid 1 moves to (1,0), which takes point (1,0) from segment 0.
        int[] labels = {0, 0, 1};
        float[] minDist = new float[3];
        double[] counts = {2, 1};
        double[] sums = {1, 0, 4, 4};
        float[] moved = {0, 0, 1, 0};
        double inertia = kernels().reassign(X, 3, 2, new float[] {1, 2, 3}, moved, 2, labels, minDist, counts, sums);
        assertArrayEquals(new int[] {0, 1, 1}, labels);
        assertArrayEquals(new float[] {0, 0, 25}, minDist);
        assertArrayEquals(new double[] {0, 3}, counts, "weight 2 moved from segment 0 to 1; the others stayed");
        assertArrayEquals(new double[] {-1, 0, 6, 4}, sums, "2 * (1,0) moved; the unmoved totals are not recomputed");
        assertEquals(75.0, inertia);
    }

    @Test
    void candidatePotentialsAreThePotentialsEachCandidateWouldLeave() {
        // Nearest distances to (0,0) are {0, 1, 32}; the candidates (4,4) and (1,0) would leave {0,1,0} and {0,0,25}.
        float[] minDist = {0, 1, 32};
        double[] potentials = new double[2];
        kernels().candidatePotentials(X, 3, 2, new float[] {1, 2, 3}, new float[] {4, 4, 1, 0}, 2, minDist, potentials);
        assertArrayEquals(new double[] {2, 75}, potentials);
        assertArrayEquals(new float[] {0, 1, 32}, minDist, "minDist is not changed");
    }

    @Test
    void assignWritesLabelsAndDistances() {
        int[] labels = new int[3];
        float[] minDist = new float[3];
        kernels().assign(X, 3, 2, C, 2, labels, minDist);
        assertArrayEquals(new int[] {0, 0, 1}, labels);
        assertArrayEquals(new float[] {0, 1, 1}, minDist);
    }

    @Test
    void exactTiesGoToTheLowestIndex() {
        // (2, 2.5) is at squared distance 10.25 from both (0,0) and (4,5); many copies reach the vector loops.
        int n = 67;
        float[] x = new float[2 * n];
        Arrays.fill(x, 0, n, 2f);
        Arrays.fill(x, n, 2 * n, 2.5f);
        int[] labels = new int[n];
        float[] minDist = new float[n];
        kernels().assign(x, n, 2, C, 2, labels, minDist);
        for (int i = 0; i < n; i++) {
            assertEquals(0, labels[i], "point " + i);
            assertEquals(10.25f, minDist[i], "point " + i);
        }
        float[] swapped = {4, 5, 0, 0};
        kernels().assign(x, n, 2, swapped, 2, labels, minDist);
        assertTrue(Arrays.stream(labels).allMatch(label -> label == 0), "the lowest index wins, whichever centroid it is");
    }

    @Test
    void updateNearestDistanceKeepsTheMinimum() {
        float[] minDist = {Float.POSITIVE_INFINITY, 0.5f, 10f};
        double total = kernels().updateNearestDistance(X, 3, 2, null, new float[] {1, 1}, minDist);
        assertArrayEquals(new float[] {2, 0.5f, 10}, minDist);
        assertEquals(12.5, total);
        minDist = new float[] {Float.POSITIVE_INFINITY, 0.5f, 10f};
        assertEquals(2 + 2 * 0.5 + 3 * 10, kernels().updateNearestDistance(X, 3, 2, new float[] {1, 2, 3}, new float[] {1, 1}, minDist));
    }

    @Test
    void pairwiseSquaredDistancesMatchHandComputedValues() {
        float[] xa = {0, 1, 0, 0};
        float[] xb = {4, 0, 4, 0};
        float[] out = new float[4];
        kernels().pairwiseSquaredDistances(xa, 2, xb, 2, 2, out);
        assertArrayEquals(new float[] {32, 0, 25, 1}, out);
    }

    @Test
    void pairwiseDistanceSumsAddEuclideanDistancesToWhatIsThere() {
        float[] xa = {0, 1, 0, 0};
        float[] xb = {4, 0, 4, 0};
        double[] sums = {1, 2};
        kernels().pairwiseDistanceSums(xa, 2, xb, 2, 2, sums);
        assertEquals(1 + Math.sqrt(32), sums[0], 1e-6);
        assertEquals(2 + 5 + 1, sums[1], 1e-6);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 13, 207, 1000, 4099})
    void everyLabelIsAnArgmin(int n) {
        for (int d : new int[] {1, 3, 17}) {
            for (int k : new int[] {1, 8, 33}) {
                float[] x = KernelTestData.points(n * 31L + d, n, d, 1);
                float[] c = KernelTestData.duplicateCentroids(KernelTestData.centroidsFrom(d * 7L + k, x, n, d, k), k, d);
                int[] labels = new int[n];
                float[] minDist = new float[n];
                kernels().assign(x, n, d, c, k, labels, minDist);
                for (int i = 0; i < n; i++) {
                    float mine = KernelTestData.distance(x, n, d, i, c, labels[i]);
                    assertTrue(KernelTestData.nearlyEqual(mine, minDist[i]), "reported distance, point " + i);
                    for (int j = 0; j < k; j++) {
                        float other = KernelTestData.distance(x, n, d, i, c, j);
                        String where = "point " + i + " label " + labels[i] + " vs " + j + " (n=" + n + " d=" + d + " k=" + k + ")";
                        assertTrue(mine <= other || KernelTestData.nearlyEqual(mine, other), where);
                    }
                }
                assertTrue(Arrays.stream(labels).allMatch(label -> label % 2 == 0),
                        "every odd centroid has an identical even twin just below it, which must win (n=" + n + " d=" + d + " k=" + k + ")");
            }
        }
    }

    /**
     * The engine's determinism rests on a kernel giving bit-identical results for the same block on
     * every call, whether it runs interpreted or JIT-compiled; thousands of calls cross that boundary.
     */
    @Test
    void repeatedCallsGiveBitIdenticalResultsAcrossJitCompilation() {
        int n = 2048 + 13;
        int d = 8;
        int k = 8;
        float[] x = KernelTestData.points(77, n, d, 10);
        float[] c = KernelTestData.centroidsFrom(78, x, n, d, k);
        float[] w = KernelTestData.weights(79, n);
        double[] firstCounts = null;
        double[] firstSums = null;
        double firstInertia = 0;
        for (int call = 0; call < 4000; call++) {
            double[] counts = new double[k];
            double[] sums = new double[k * d];
            double inertia = kernels().assignAndAccumulate(x, n, d, call % 2 == 0 ? null : w, c, k,
                    new int[n], new float[n], counts, sums);
            if (call < 2) {
                if (call == 0) {
                    firstCounts = counts;
                    firstSums = sums;
                    firstInertia = inertia;
                }
                continue;
            }
            if (call % 2 == 0) {
                assertArrayEquals(firstCounts, counts, "counts changed at call " + call);
                assertArrayEquals(firstSums, sums, "sums changed at call " + call);
                assertEquals(firstInertia, inertia, "inertia changed at call " + call);
            }
        }
    }
}
