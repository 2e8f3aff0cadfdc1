package dev.segmenta.engine.cluster;

import java.util.Arrays;

/**
 * The wall time of each iteration (or mini-batch step) of a fit, for {@link KMeansResult#iterationNanos}.
 * It grows with the iterations actually run: the cap ({@code --max-iter}) may be far above them, up to
 * {@code Integer.MAX_VALUE}, and an array of that size would not fit in memory.
 */
final class IterationTimes {

    private long[] nanos = new long[16];
    private int count;

    void add(long iterationNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, (int) Math.min(Integer.MAX_VALUE - 8, 2L * count));
        }
        nanos[count++] = iterationNanos;
    }

    long[] toArray() {
        return Arrays.copyOf(nanos, count);
    }
}
