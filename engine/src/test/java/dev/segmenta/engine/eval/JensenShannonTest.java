package dev.segmenta.engine.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JensenShannonTest {

    @Test
    void knownValues() {
        assertEquals(0.0, JensenShannon.divergence(new long[] {3, 5, 2}, new long[] {30, 50, 20}), 1e-15);
        assertEquals(1.0, JensenShannon.divergence(new long[] {1, 0}, new long[] {0, 4}), 1e-15);
        // P = (1, 0), Q = (1/2, 1/2), M = (3/4, 1/4): ½·log2(4/3) + ¼·log2(2/3) + ¼·log2(2)
        double expected = 0.5 * log2(4.0 / 3) + 0.25 * log2(2.0 / 3) + 0.25;
        assertEquals(expected, JensenShannon.divergence(new long[] {2, 0}, new long[] {1, 1}), 1e-15);
        assertEquals(0.31127812445913283, expected, 1e-15);
        // by hand (and scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2)
        assertEquals(0.046930300568985, JensenShannon.divergence(new double[] {.1, .4, .5}, new double[] {.3, .3, .4}), 1e-14);
    }

    @Test
    void symmetric() {
        double[] p = {0.2, 0.0, 0.5, 0.3};
        double[] q = {0.1, 0.6, 0.0, 0.3};
        assertEquals(JensenShannon.divergence(p, q), JensenShannon.divergence(q, p), 1e-15);
    }

    @Test
    void emptyOrMismatchedDistributionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.divergence(new long[] {0, 0}, new long[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> JensenShannon.divergence(new long[] {1}, new long[] {1, 1}));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
