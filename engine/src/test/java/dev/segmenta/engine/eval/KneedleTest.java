package dev.segmenta.engine.eval;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KneedleTest {

    private static final double[] K = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void findsTheBendOfAnInertiaLikeCurve() {
        // Worked by hand: the difference curve (1 − y_n) − x_n is 0, .310, .515, .593, .503, .402, ... and peaks
        // at k = 4; the next-but-one value falls below the threshold .593 − 1/9.
        double[] inertia = {100, 60, 30, 12, 10, 9, 8, 7, 6, 5};
        assertEquals(OptionalInt.of(3), Kneedle.kneeOfDecreasingConvex(K, inertia, Kneedle.DEFAULT_SENSITIVITY));
    }

    @Test
    void findsTheKneeOfOneOverK() {
        // y = 1/x on 1..10: the difference curve peaks at x = 3 (.519, against .500 at x = 4).
        double[] y = new double[K.length];
        for (int i = 0; i < K.length; i++) {
            y[i] = 1 / K[i];
        }
        assertEquals(OptionalInt.of(2), Kneedle.kneeOfDecreasingConvex(K, y, 1));
    }

    @Test
    void aHigherSensitivityWaitsForAMorePronouncedKnee() {
        double[] inertia = {100, 60, 30, 12, 10, 9, 8, 7, 6, 5};
        assertEquals(OptionalInt.empty(), Kneedle.kneeOfDecreasingConvex(K, inertia, 10));
    }

    @Test
    void aStraightLineOrAFlatOrShortCurveHasNoKnee() {
        double[] line = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertEquals(OptionalInt.empty(), Kneedle.kneeOfDecreasingConvex(K, line, 1));
        assertEquals(OptionalInt.empty(), Kneedle.kneeOfDecreasingConvex(K, new double[10], 1));
        assertEquals(OptionalInt.empty(), Kneedle.kneeOfDecreasingConvex(new double[] {1, 2}, new double[] {5, 1}, 1));
    }

    @Test
    void rejectsUnorderedPositions() {
        assertThrows(IllegalArgumentException.class,
                () -> Kneedle.kneeOfDecreasingConvex(new double[] {1, 3, 2}, new double[] {3, 2, 1}, 1));
    }
}
