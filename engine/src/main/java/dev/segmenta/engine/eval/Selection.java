package dev.segmenta.engine.eval;

import java.util.Arrays;

/**
 * Order statistics of a float range by introselect: Hoare-partitioning quickselect with a
 * median-of-three pivot, which runs in linear time on customer data, falling back to sorting the
 * remaining range once it has partitioned {@code 2·log₂ n} times without finishing (Musser 1997), so
 * adversarial inputs still take {@code O(n log n)}.
 */
final class Selection {

    private Selection() {
    }

    /**
     * The median of {@code a[from, to)}, reordering that range: the middle value, or the mean of the two
     * middle values for an even count (numpy's definition). NaN for an empty range.
     */
    static double median(float[] a, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return Double.NaN;
        }
        int upper = from + n / 2;
        select(a, from, to, upper);
        if (n % 2 == 1) {
            return a[upper];
        }
        // After selection every value left of the upper middle is at most it: the lower middle is their maximum.
        float lower = a[from];
        for (int i = from + 1; i < upper; i++) {
            lower = Math.max(lower, a[i]);
        }
        return ((double) lower + a[upper]) / 2;
    }

    /** Puts the value of rank {@code target − from} at {@code target}, smaller or equal values left of it, larger or equal right. */
    static void select(float[] a, int from, int to, int target) {
        int lo = from;
        int hi = to - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, to - from)));
        while (hi > lo) {
            if (budget-- == 0) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            int mid = lo + (hi - lo) / 2;
            float pivot = medianOfThree(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static float medianOfThree(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
