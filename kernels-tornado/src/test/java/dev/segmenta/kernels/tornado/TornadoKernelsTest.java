package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.KernelParityTest;
import dev.segmenta.kernels.Kernels;

import org.junit.jupiter.api.BeforeAll;

/**
 * The per-block calls of the TornadoVM backend against the scalar reference: the whole parity suite
 * (odd and prime sizes, 1 to 32 features, up to k = n, 1e-18 and 1e17 magnitudes, weights). This
 * module is built only with -Ptornado, so the backend must start: no skipping.
 */
class TornadoKernelsTest extends KernelParityTest {

    private static KMeansKernels tornado;

    @BeforeAll
    static void startTornado() {
        tornado = Kernels.select(TornadoKernelProvider.NAME).kernels();
    }

    @Override
    protected KMeansKernels kernels() {
        return tornado;
    }
}
