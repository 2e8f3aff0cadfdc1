package dev.segmenta.engine.prep;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamedMedianTest {

    /** numpy's median: the middle value, or the mean of the two middle values. */
    private static double sortedMedian(float[] values) {
        float[] present = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (!Float.isNaN(v)) {
                present[n++] = v;
            }
        }
        float[] sorted = Arrays.copyOf(present, n);
        Arrays.sort(sorted);
        return ((double) sorted[(n - 1) / 2] + sorted[n / 2]) / 2;
    }

    private static double streamed(float[] values, int chunk) {
        StreamedMedian median = new StreamedMedian(1);
        for (int from = 0; from < values.length; from += chunk) {
            median.countUpper(0, values, from, Math.min(chunk, values.length - from));
        }
        median.finishUpperPass();
        for (int from = 0; from < values.length; from += chunk) {
            median.countLower(0, values, from, Math.min(chunk, values.length - from));
        }
        return median.median(0);
    }

    @Test
    void goldenSmallCases() {
        assertEquals(2.0, streamed(new float[] {3, 1, 2}, 2));
        assertEquals(2.5, streamed(new float[] {4, 1, 3, 2}, 3));
        assertEquals(-1.5, streamed(new float[] {-1, -2, Float.NaN, -7, 5}, 1));
        assertEquals(7.0, streamed(new float[] {7}, 1));
        assertEquals(0.0, streamed(new float[] {-0.0f, 0.0f, 0.0f}, 1));
    }

    @Test
    void matchesSortingOnRandomDataOfEveryShape() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(trial < 100 ? 50 : 20_000);
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = switch (trial % 4) {
                    case 0 -> (float) random.nextGaussian() * 1e-3f;
                    case 1 -> random.nextInt(5);
                    case 2 -> (float) Math.exp(random.nextGaussian() * 10);
                    default -> random.nextInt(10) == 0 ? Float.NaN : (float) (random.nextDouble(-1e6, 1e6));
                };
            }
            assertEquals(sortedMedian(values), streamed(values, 1 + random.nextInt(n)), "trial " + trial);
        }
    }

    @Test
    void noPresentValuesGivesNaN() {
        assertEquals(Double.NaN, streamed(new float[] {Float.NaN, Float.NaN}, 2));
    }
}
