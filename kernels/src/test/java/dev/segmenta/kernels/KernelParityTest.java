package dev.segmenta.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares a backend with {@link ScalarKernels} on the same inputs: odd and prime sizes below and
 * above any lane count, 1 to 32 features, 1 to 256 centroids and {@code k = n}, duplicated centroids
 * and points, magnitudes from about 1e-18 to 1e18 (the largest whose squared distances still fit in
 * a float at 32 features), with and without weights.
 *
 * <p>Labels must be equal except at near-ties: a point may go to another centroid only if the reference
 * distances to both differ by less than a relative 1e-5. Counts, sums and inertia are checked against
 * the reference accumulation of the backend's own labels, within 1e-5 of the sum of the magnitudes
 * added (float partial sums over bounded runs lose at most a few dozen roundings of that size).
 */
public abstract class KernelParityTest extends KernelContractTest {

    private static final KMeansKernels REFERENCE = new ScalarKernels();
    private static final int[] SIZES = {1, 7, 13, 207, 1000, 4099};
    private static final int[] DIMENSIONS = {1, 2, 3, 8, 17, 32};
    private static final int[] CENTROIDS = {1, 2, 8, 33, 256, -1};

    /** Input shapes: every size, dimension and centroid count (-1 meaning {@code k = n}), over a few data variants. */
    static Stream<Arguments> shapes() {
        List<Arguments> all = new ArrayList<>();
        String[] variants = {"plain", "duplicates", "huge", "tiny"};
        int v = 0;
        for (int n : SIZES) {
            for (int d : DIMENSIONS) {
                for (int k : CENTROIDS) {
                    all.add(Arguments.of(n, d, k == -1 ? n : k, variants[v++ % variants.length]));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void assignAndAccumulateMatchesTheReference(int n, int d, int k, String variant) {
        for (boolean weighted : new boolean[] {false, true}) {
            Input in = Input.of(n, d, k, variant, weighted);
            int[] labels = new int[n];
            float[] minDist = new float[n];
            double[] counts = new double[k];
            double[] sums = new double[k * d];
            double inertia = kernels().assignAndAccumulate(in.x, n, d, in.w, in.c, k, labels, minDist, counts, sums);

            int[] refLabels = new int[n];
            float[] refMinDist = new float[n];
            REFERENCE.assign(in.x, n, d, in.c, k, refLabels, refMinDist);
            assertLabelsMatch(in, refLabels, labels, minDist);

            double[] wantCounts = new double[k];
            double[] wantSums = new double[k * d];
            double wantInertia = ScalarKernels.accumulateRange(in.x, n, d, in.w, labels, minDist, wantCounts, wantSums, 0, n);
            double[] magnitude = new double[k * d];
            float[] absX = absolute(in.x);
            ScalarKernels.accumulateRange(absX, n, d, in.w, labels, minDist, new double[k], magnitude, 0, n);
            for (int j = 0; j < k; j++) {
                assertEquals(wantCounts[j], counts[j], 1e-5 * wantCounts[j], "count " + j + " " + in);
                for (int f = 0; f < d; f++) {
                    int at = j * d + f;
                    assertEquals(wantSums[at], sums[at], 1e-5 * magnitude[at] + 1e-40, "sum " + j + "," + f + " " + in);
                }
            }
            assertEquals(wantInertia, inertia, 1e-5 * wantInertia + 1e-40, "inertia " + in);
        }
    }

    /**
     * Totals accumulated for one set of centroids, then reassigned to another, must equal what a fresh
     * accumulation gives for the second set; the labels must match the reference's except at near-ties.
     */
    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void reassignKeepsTheTotalsOfAFreshAccumulation(int n, int d, int k, String variant) {
        for (boolean weighted : new boolean[] {false, true}) {
            Input in = Input.of(n, d, k, variant, weighted);
            float[] moved = KernelTestData.centroidsFrom(n + 7L * d + k, in.x, n, d, k);
            int[] labels = new int[n];
            float[] minDist = new float[n];
            double[] counts = new double[k];
            double[] sums = new double[k * d];
            kernels().assignAndAccumulate(in.x, n, d, in.w, in.c, k, labels, minDist, counts, sums);
            int[] firstLabels = labels.clone();
            double inertia = kernels().reassign(in.x, n, d, in.w, moved, k, labels, minDist, counts, sums);

            int[] refLabels = new int[n];
            REFERENCE.assign(in.x, n, d, moved, k, refLabels, new float[n]);
            assertLabelsMatch(new Input(n, d, k, variant, in.scale, in.x, moved, in.w), refLabels, labels, minDist);

            double[] wantCounts = new double[k];
            double[] wantSums = new double[k * d];
            double wantInertia = ScalarKernels.accumulateRange(in.x, n, d, in.w, labels, minDist, wantCounts, wantSums, 0, n);
            // The running totals carry the rounding of the first accumulation, whose terms may since have moved out.
            double[] magnitude = new double[k * d];
            double[] firstCounts = new double[k];
            float[] absX = absolute(in.x);
            ScalarKernels.accumulateRange(absX, n, d, in.w, labels, minDist, new double[k], magnitude, 0, n);
            ScalarKernels.accumulateRange(absX, n, d, in.w, firstLabels, minDist, firstCounts, magnitude, 0, n);
            for (int j = 0; j < k; j++) {
                assertEquals(wantCounts[j], counts[j], 1e-5 * (wantCounts[j] + firstCounts[j]), "count " + j + " " + in);
                for (int f = 0; f < d; f++) {
                    int at = j * d + f;
                    assertEquals(wantSums[at], sums[at], 1e-5 * magnitude[at] + 1e-40, "sum " + j + "," + f + " " + in);
                }
            }
            assertEquals(wantInertia, inertia, 1e-5 * wantInertia + 1e-40, "inertia " + in);
        }
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void assignMatchesTheReference(int n, int d, int k, String variant) {
        Input in = Input.of(n, d, k, variant, false);
        int[] labels = new int[n];
        float[] minDist = new float[n];
        kernels().assign(in.x, n, d, in.c, k, labels, minDist);
        int[] refLabels = new int[n];
        REFERENCE.assign(in.x, n, d, in.c, k, refLabels, new float[n]);
        assertLabelsMatch(in, refLabels, labels, minDist);
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void updateNearestDistanceMatchesTheReference(int n, int d, int k, String variant) {
        for (boolean weighted : new boolean[] {false, true}) {
            Input in = Input.of(n, d, k, variant, weighted);
            float[] minDist = new float[n];
            float[] refMinDist = new float[n];
            Arrays.fill(minDist, Float.POSITIVE_INFINITY);
            Arrays.fill(refMinDist, Float.POSITIVE_INFINITY);
            for (int j = 0; j < Math.min(k, 3); j++) {
                float[] centre = Arrays.copyOfRange(in.c, j * d, (j + 1) * d);
                double total = kernels().updateNearestDistance(in.x, n, d, in.w, centre, minDist);
                double want = REFERENCE.updateNearestDistance(in.x, n, d, in.w, centre, refMinDist);
                for (int i = 0; i < n; i++) {
                    assertTrue(KernelTestData.nearlyEqual(refMinDist[i], minDist[i]),
                            "point " + i + ": " + minDist[i] + " vs " + refMinDist[i] + " " + in);
                }
                assertEquals(want, total, 1e-5 * want + 1e-40, "total " + in);
            }
        }
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void candidatePotentialsMatchTheReference(int n, int d, int k, String variant) {
        for (boolean weighted : new boolean[] {false, true}) {
            Input in = Input.of(n, d, k, variant, weighted);
            float[] minDist = new float[n];
            Arrays.fill(minDist, Float.POSITIVE_INFINITY);
            REFERENCE.updateNearestDistance(in.x, n, d, in.w, Arrays.copyOfRange(in.c, 0, d), minDist);
            float[] before = minDist.clone();
            int t = Math.min(k, 7);
            double[] potentials = new double[t];
            double[] want = new double[t];
            kernels().candidatePotentials(in.x, n, d, in.w, in.c, t, minDist, potentials);
            REFERENCE.candidatePotentials(in.x, n, d, in.w, in.c, t, minDist, want);
            assertArrayEquals(before, minDist, "minDist is left as it was " + in);
            for (int q = 0; q < t; q++) {
                assertEquals(want[q], potentials[q], 1e-5 * want[q] + 1e-40, "candidate " + q + " " + in);
            }
        }
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void pairwiseSquaredDistancesMatchTheReference(int n, int d, int k, String variant) {
        Input in = Input.of(n, d, k, variant, false);
        int na = Math.min(k, 13);
        float[] xa = KernelTestData.points(k + 5L, na, d, in.scale);
        float[] out = new float[na * n];
        float[] want = new float[na * n];
        kernels().pairwiseSquaredDistances(xa, na, in.x, n, d, out);
        REFERENCE.pairwiseSquaredDistances(xa, na, in.x, n, d, want);
        for (int q = 0; q < out.length; q++) {
            assertTrue(KernelTestData.nearlyEqual(want[q], out[q]), "entry " + q + ": " + out[q] + " vs " + want[q] + " " + in);
        }
    }

    @ParameterizedTest(name = "n={0} d={1} k={2} {3}")
    @MethodSource("shapes")
    void pairwiseDistanceSumsMatchTheReference(int n, int d, int k, String variant) {
        Input in = Input.of(n, d, k, variant, false);
        int na = Math.min(k, 13);
        float[] xa = KernelTestData.points(k + 5L, na, d, in.scale);
        double[] got = new double[na];
        double[] want = new double[na];
        kernels().pairwiseDistanceSums(xa, na, in.x, n, d, got);
        REFERENCE.pairwiseDistanceSums(xa, na, in.x, n, d, want);
        for (int a = 0; a < na; a++) {
            // Roots of float distances that differ by a few roundings, added in float runs of at most 1,024.
            assertEquals(want[a], got[a], 1e-5 * want[a] + 1e-40, "row " + a + " " + in);
        }
    }

    private static void assertLabelsMatch(Input in, int[] want, int[] got, float[] gotMinDist) {
        for (int i = 0; i < in.n; i++) {
            float wantDist = KernelTestData.distance(in.x, in.n, in.d, i, in.c, want[i]);
            if (got[i] != want[i]) {
                float gotDist = KernelTestData.distance(in.x, in.n, in.d, i, in.c, got[i]);
                assertTrue(KernelTestData.nearlyEqual(wantDist, gotDist), "point " + i + ": label " + got[i]
                        + " at " + gotDist + ", reference " + want[i] + " at " + wantDist + " " + in);
            }
            assertTrue(KernelTestData.nearlyEqual(wantDist, gotMinDist[i]),
                    "point " + i + ": distance " + gotMinDist[i] + ", reference " + wantDist + " " + in);
        }
    }

    private static float[] absolute(float[] x) {
        float[] abs = new float[x.length];
        for (int q = 0; q < x.length; q++) {
            abs[q] = Math.abs(x[q]);
        }
        return abs;
    }

    /** One generated input; {@code toString} names it in assertion messages. */
    private record Input(int n, int d, int k, String variant, double scale, float[] x, float[] c, float[] w) {

        static Input of(int n, int d, int k, String variant, boolean weighted) {
            double scale = switch (variant) {
                case "huge" -> 1e17;
                case "tiny" -> 1e-18;
                default -> 1;
            };
            long seed = ((long) n * 131 + d) * 131 + k;
            float[] x = KernelTestData.points(seed, n, d, scale);
            if (variant.equals("duplicates")) {
                x = KernelTestData.duplicatePoints(x, n, d);
            }
            float[] c = k == n ? KernelTestData.pointsAsCentroids(x, n, d) : KernelTestData.centroidsFrom(seed + 1, x, n, d, k);
            if (variant.equals("duplicates")) {
                c = KernelTestData.duplicateCentroids(c, k, d);
            }
            return new Input(n, d, k, variant, scale, x, c, weighted ? KernelTestData.weights(seed + 2, n) : null);
        }

        @Override
        public String toString() {
            return "(n=" + n + " d=" + d + " k=" + k + " " + variant + (w == null ? "" : " weighted") + ")";
        }
    }
}
