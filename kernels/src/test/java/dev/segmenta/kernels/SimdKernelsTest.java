package dev.segmenta.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;

/**
 * The Vector API kernels against the reference. Skipped where SIMD cannot start (no incubator module);
 * {@link KernelSelectionTest} is what fails a build that should have had it.
 */
class SimdKernelsTest extends KernelParityTest {

    private static KMeansKernels simd;

    @BeforeAll
    static void startSimd() {
        try {
            simd = Kernels.select("simd").kernels();
        } catch (BackendUnavailableException e) {
            assumeTrue(false, e.getMessage());
        }
    }

    @Override
    protected KMeansKernels kernels() {
        return simd;
    }
}
