package dev.segmenta.bench;

import dev.segmenta.engine.bench.BenchInputs;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;

/**
 * Inputs and checks shared by the kernel suites: the same {@link BenchInputs} customers that
 * {@code segmenta bench} uses, and kernel backends by name.
 */
final class BenchData {

    /** True segments of the generated customers; fixed whatever k is benchmarked, so every k runs on the same points. */
    static final int SEGMENTS = 16;

    private BenchData() {
    }

    /**
     * The backend with this name ({@code scalar}, {@code simd}, {@code tornado} where installed), started
     * as the engine would; a name that cannot start throws, so a run never silently measures another backend.
     */
    static KMeansKernels kernels(String backend) {
        return Kernels.select(backend).kernels();
    }

    /** The scalar reference every faster backend is checked against. */
    static KMeansKernels reference() {
        return kernels("scalar");
    }

    /** {@code n x d} z-scored customers in the engine's blocks; the same seed gives the same customers. */
    static BenchInputs customers(long seed, long n, int d, BlockExecutor executor) {
        return BenchInputs.customers(n, d, SEGMENTS, seed, executor);
    }

    /** Exact squared distance in double between row {@code i} of a block and centroid {@code j}, to judge near-ties. */
    static double distance(FeatureBatch block, int i, float[] c, int j) {
        double sum = 0;
        int d = block.features();
        for (int f = 0; f < d; f++) {
            double diff = (double) block.value(i, f) - c[j * d + f];
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
