package dev.segmenta.engine.bench;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * A small benchmark harness for {@code segmenta bench}, where JMH is not in the runtime jar: run the
 * operation for a warm-up period (JIT compilation, caches, page faults), then time single runs until a
 * time budget is spent, and summarise them by the median, which one slow run (another process taking
 * a core) does not move.
 *
 * @param runs         timed runs
 * @param medianNanos  their median
 * @param minNanos     the fastest
 * @param maxNanos     the slowest
 */
public record Timing(int runs, double medianNanos, double minNanos, double maxNanos) {

    /** Results of timed runs are summed here, so the JIT cannot drop an operation whose result is unused. */
    private static volatile double sink;

    /**
     * @param operation returns a value derived from its work (a sum, an inertia)
     * @param warmupNanos run untimed at least twice and for at least this long (the first run of a
     *                    Vector API loop may run interpreted until C2 has compiled it)
     * @param budgetNanos then time runs until this much time is spent, but at least {@code minRuns}
     *                    and at most {@code maxRuns} of them; when the last warm-up run alone took longer
     *                    than a non-zero budget, a single timed run (a slow backend at a large shape would
     *                    otherwise take minutes)
     */
    public static Timing measure(DoubleSupplier operation, long warmupNanos, long budgetNanos, int minRuns, int maxRuns) {
        if (minRuns < 1 || maxRuns < minRuns) {
            throw new IllegalArgumentException("need 1 <= minRuns <= maxRuns, got " + minRuns + ", " + maxRuns);
        }
        double total = 0;
        long warmupEnd = System.nanoTime() + warmupNanos;
        long lastWarmup;
        int warmups = 0;
        do {
            long start = System.nanoTime();
            total += operation.getAsDouble();
            lastWarmup = System.nanoTime() - start;
            warmups++;
        } while (warmups < 2 || System.nanoTime() < warmupEnd);
        int atLeast = budgetNanos > 0 && lastWarmup > budgetNanos ? 1 : minRuns;
        long[] times = new long[maxRuns];
        int runs = 0;
        long budgetEnd = System.nanoTime() + budgetNanos;
        while (runs < maxRuns && (runs < atLeast || System.nanoTime() < budgetEnd)) {
            long start = System.nanoTime();
            total += operation.getAsDouble();
            times[runs++] = System.nanoTime() - start;
        }
        sink += total;
        long[] sorted = Arrays.copyOf(times, runs);
        Arrays.sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2.0;
        return new Timing(runs, median, sorted[0], sorted[runs - 1]);
    }

    public double medianSeconds() {
        return medianNanos / 1e9;
    }

    public double medianMillis() {
        return medianNanos / 1e6;
    }
}
