package dev.segmenta.bench;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;

import java.util.SplittableRandom;

/**
 * Fixed-seed inputs shared by the kernel suites: Gaussian blobs cut into the engine's column-major
 * blocks, and kernel backends by name.
 */
final class BenchData {

    /** The engine's block size, so a suite's blocks are the blocks a fit would see. */
    static final int BLOCK_ROWS = ReadOptions.DEFAULT_BLOCK_ROWS;

    /** True blob centres; fixed whatever k is benchmarked, so every k runs on the same points. */
    static final int BLOBS = 16;

    private BenchData() {
    }

    /**
     * The backend with this name, started as the engine would ({@code scalar} or {@code simd}); an
     * explicit name that cannot start throws, so a run never silently measures another backend.
     */
    static KMeansKernels kernels(String backend) {
        return Kernels.select(backend).kernels();
    }

    /** The scalar reference every faster backend is checked against. */
    static KMeansKernels reference() {
        return kernels("scalar");
    }

    /**
     * {@code n} points in {@code d} dimensions around {@value #BLOBS} centres drawn uniformly from
     * {@code [-4, 4]^d}, with unit Gaussian noise, as column-major blocks of {@link #BLOCK_ROWS} rows
     * (the last one shorter). Block {@code b} depends only on {@code seed} and {@code b}, so blocks
     * are generated in parallel and the data does not depend on the thread count.
     */
    static float[][] blobs(long seed, int n, int d, BlockExecutor executor) {
        float[] centres = new float[BLOBS * d];
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < centres.length; t++) {
            centres[t] = (float) (8 * random.nextDouble() - 4);
        }
        int blockCount = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        float[][] blocks = new float[blockCount][];
        executor.forEachBlock(blockCount, b -> {
            int rows = rows(n, b);
            SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (b + 1)));
            float[] x = new float[rows * d];
            for (int i = 0; i < rows; i++) {
                int blob = r.nextInt(BLOBS);
                for (int f = 0; f < d; f++) {
                    x[f * rows + i] = (float) (centres[blob * d + f] + r.nextGaussian());
                }
            }
            blocks[b] = x;
        });
        return blocks;
    }

    /** Rows of block {@code b} of a data set of {@code n} rows. */
    static int rows(int n, int b) {
        return Math.min(BLOCK_ROWS, n - b * BLOCK_ROWS);
    }

    /** {@code k} centroids, row-major: data points spread evenly over the blocks, as a seeding would pick. */
    static float[] centroidsFromData(float[][] blocks, int n, int d, int k) {
        float[] c = new float[k * d];
        for (int j = 0; j < k; j++) {
            long row = (long) j * n / k;
            int b = (int) (row / BLOCK_ROWS);
            int i = (int) (row % BLOCK_ROWS);
            int rows = rows(n, b);
            for (int f = 0; f < d; f++) {
                c[j * d + f] = blocks[b][f * rows + i];
            }
        }
        return c;
    }

    /** Exact squared distance in double, to judge near-ties between backends. */
    static double distance(float[] x, int rows, int i, int d, float[] c, int j) {
        double sum = 0;
        for (int f = 0; f < d; f++) {
            double diff = (double) x[f * rows + i] - c[j * d + f];
            sum += diff * diff;
        }
        return sum;
    }

    static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new IllegalStateException("benchmark validation failed: " + String.format(format, args));
        }
    }
}
