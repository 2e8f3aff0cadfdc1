package dev.segmenta.kernels;

/** The reference kernels against the golden values and properties of {@link KernelContractTest}. */
class ScalarKernelsTest extends KernelContractTest {

    private static final KMeansKernels SCALAR = new ScalarKernels();

    @Override
    protected KMeansKernels kernels() {
        return SCALAR;
    }
}
