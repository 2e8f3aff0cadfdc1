package dev.segmenta.kernels;

import java.util.SplittableRandom;

/**
 * Seeded inputs for kernel tests, public so that backends in other modules can reuse them through
 * the kernels test-jar. Points are column-major and centroids row-major, as the kernels take them.
 */
public final class KernelTestData {

    private KernelTestData() {
    }

    /** {@code n} points of {@code d} features in Gaussian blobs of spread {@code scale}, column-major. */
    public static float[] points(long seed, int n, int d, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        int blobs = 1 + random.nextInt(8);
        double[] centres = new double[blobs * d];
        for (int q = 0; q < centres.length; q++) {
            centres[q] = gaussian(random) * 4;
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int blob = random.nextInt(blobs);
            for (int f = 0; f < d; f++) {
                x[f * n + i] = (float) ((centres[blob * d + f] + gaussian(random)) * scale);
            }
        }
        return x;
    }

    /** {@code k} centroids drawn from the points, with replacement, each moved by a little noise. */
    public static float[] centroidsFrom(long seed, float[] x, int n, int d, int k) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] c = new float[k * d];
        for (int j = 0; j < k; j++) {
            int i = random.nextInt(n);
            for (int f = 0; f < d; f++) {
                float v = x[f * n + i];
                c[j * d + f] = (float) (v + 0.1 * Math.abs(v) * gaussian(random));
            }
        }
        return c;
    }

    /** The points themselves as centroids ({@code k = n}): every point is at distance 0 from its own. */
    public static float[] pointsAsCentroids(float[] x, int n, int d) {
        float[] c = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                c[i * d + f] = x[f * n + i];
            }
        }
        return c;
    }

    /** Copies every even centroid over the next one, so that half the centroids have an identical, lower-indexed twin. */
    public static float[] duplicateCentroids(float[] c, int k, int d) {
        float[] twins = c.clone();
        for (int j = 0; j + 1 < k; j += 2) {
            System.arraycopy(c, j * d, twins, (j + 1) * d, d);
        }
        return twins;
    }

    /** Copies every even point over the next one. */
    public static float[] duplicatePoints(float[] x, int n, int d) {
        float[] twins = x.clone();
        for (int i = 0; i + 1 < n; i += 2) {
            for (int f = 0; f < d; f++) {
                twins[f * n + i + 1] = x[f * n + i];
            }
        }
        return twins;
    }

    /** Positive weights in {@code [0.25, 4)}. */
    public static float[] weights(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.25 + 3.75 * random.nextDouble());
        }
        return w;
    }

    /** Squared distance of point {@code i} to centroid {@code j}, computed by the scalar reference. */
    public static float distance(float[] x, int n, int d, int i, float[] c, int j) {
        return ScalarKernels.squaredDistance(x, n, d, i, c, j);
    }

    /** Whether two squared distances are equal up to float rounding in a sum of {@code d} terms. */
    public static boolean nearlyEqual(double a, double b) {
        return Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b)) + 1e-44;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
