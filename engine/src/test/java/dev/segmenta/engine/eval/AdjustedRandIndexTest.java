package dev.segmenta.engine.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdjustedRandIndexTest {

    private static double ari(int[] a, int[] b, int ka, int kb) {
        AdjustedRandIndex index = new AdjustedRandIndex(ka, kb);
        index.add(a, b, a.length);
        return index.value();
    }

    @Test
    void identicalPartitionsUpToRenamingScoreOne() {
        assertEquals(1.0, ari(new int[] {0, 0, 1, 1, 2}, new int[] {2, 2, 0, 0, 1}, 3, 3), 1e-12);
    }

    @Test
    void matchesScikitLearnOnItsDocumentedExamples() {
        // sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == 0.5714285714285715
        assertEquals(0.5714285714285715, ari(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}, 2, 3), 1e-12);
        // sklearn.metrics.adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) == 0.5714285714285715
        assertEquals(0.5714285714285715, ari(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}, 3, 2), 1e-12);
        // sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) == -0.5
        assertEquals(-0.5, ari(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}, 2, 2), 1e-12);
    }

    @Test
    void blocksAccumulate() {
        AdjustedRandIndex index = new AdjustedRandIndex(2, 3);
        index.add(new int[] {0, 0}, new int[] {0, 0}, 2);
        index.add(new int[] {1, 1, 9}, new int[] {1, 2, 9}, 2);
        assertEquals(0.5714285714285715, index.value(), 1e-12);
    }
}
