package dev.segmenta.engine;

import dev.segmenta.kernels.KMeansKernels;

import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets a backend's kernels JIT-compiled before the real data arrives.
 *
 * <p>Vector API code runs tens of times slower until C2 compiles it: without a warm-up the first
 * k-means++ passes and the first Lloyd iterations over a million customers ran interpreted and took
 * longer than all later iterations together. Calling every kernel on a small block a few thousand
 * times reaches compilation with little interpreted work, and doing it on a background thread lets it
 * overlap with reading the input file.
 *
 * <p>The warm-up must take every path a real fit takes: C2 compiles a branch or loop it never saw
 * taken as an uncommon trap, and the first real block that takes it throws the kernel back to the
 * interpreter until C2 has compiled it again (a Lloyd iteration or a k-means++ seeding several times
 * slower than the others; {@code -Xlog:deoptimization=debug} shows these traps).
 */
public final class KernelWarmup {

    /**
     * Rows of the warm-up block: several of the SIMD kernels' sub-blocks and a scalar tail, like a real
     * block's, and every other round {@link #ROWS_WITHOUT_TAIL}, like a full one's.
     */
    private static final int ROWS = 4133;
    private static final int ROWS_WITHOUT_TAIL = 4096;
    private static final int DIMENSIONS = 8;
    private static final int CENTROIDS = 8;
    private static final int ROUNDS = 800;
    /** Rows of the first operand of the silhouette kernel per round: one group of four, plus a tail row. */
    private static final int PAIRWISE_ROWS = 5;
    /** A small pairwise block, the shape DBSCAN's passes call it with (a few rows against many). */
    private static final int PAIR_ROWS = 8;
    private static final int PAIR_COLUMNS = 128;

    private KernelWarmup() {
    }

    /** Warm-ups still running, so that a command can stop its own when it ends ({@link #stopAll}). */
    private static final Set<Thread> RUNNING = ConcurrentHashMap.newKeySet();

    /** Starts warming up on a daemon thread; the caller may go on at once. */
    public static Thread start(KMeansKernels kernels) {
        Thread thread = new Thread(() -> {
            try {
                run(kernels);
            } finally {
                RUNNING.remove(Thread.currentThread());
            }
        }, "segmenta-kernel-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        RUNNING.add(thread);
        thread.start();
        return thread;
    }

    /**
     * Stops every warm-up still running. A command that ends before its warm-up does (a small input,
     * an error) must not leave it busy in a JVM that goes on, such as a test's or a library user's.
     */
    public static void stopAll() {
        RUNNING.forEach(Thread::interrupt);
    }

    /**
     * Customers from which a fit waits for the warm-up before its first pass ({@link #awaitBefore}).
     * Below, the kernels' interpreted passes cost less than the rest of the warm-up would.
     */
    public static final long WAIT_FROM_ROWS = 100_000;

    /**
     * Waits, when {@code rows} are worth it, for the warm-ups still running. A read that used to take
     * longer than the warm-up no longer does: k-means++ on 10M customers then started beside the
     * warm-up thread on code C2 had not compiled yet, and seeding took 0.7–4 s instead of 0.3 s.
     */
    public static void awaitBefore(long rows) {
        if (rows < WAIT_FROM_ROWS) {
            return;
        }
        for (Thread warmup : RUNNING) {
            try {
                warmup.join();
            } catch (InterruptedException e) {
                // Ctrl-C interrupts the waiting thread: the command stops at its next check.
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Warms up on the calling thread, for callers that must not time the compilation (benchmarks). */
    public static void run(KMeansKernels kernels) {
        SplittableRandom random = new SplittableRandom(1);
        float[] x = new float[ROWS * DIMENSIONS];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) random.nextGaussian();
        }
        float[] c = new float[CENTROIDS * DIMENSIONS];
        System.arraycopy(x, 0, c, 0, c.length);
        // A nudged copy, so that reassign moves some customers between segments.
        float[] nudged = c.clone();
        for (int t = 0; t < nudged.length; t++) {
            nudged[t] += (float) (0.3 * random.nextGaussian());
        }
        float[] weights = new float[ROWS];
        Arrays.fill(weights, 1f);
        int[] labels = new int[ROWS];
        float[] dist = new float[ROWS];
        double[] counts = new double[CENTROIDS];
        double[] sums = new double[CENTROIDS * DIMENSIONS];
        float[] centre = new float[DIMENSIONS];
        double[] rowSums = new double[PAIRWISE_ROWS];
        double[] potentials = new double[CENTROIDS];
        float[] pairs = new float[PAIR_ROWS * PAIR_COLUMNS];
        for (int round = 0; round < ROUNDS && !Thread.currentThread().isInterrupted(); round++) {
            int n = round / 2 % 2 == 0 ? ROWS : ROWS_WITHOUT_TAIL;
            float[] w = round % 2 == 0 ? null : weights;
            kernels.assignAndAccumulate(x, n, DIMENSIONS, w, c, CENTROIDS, labels, dist, counts, sums);
            kernels.reassign(x, n, DIMENSIONS, null, nudged, CENTROIDS, labels, dist, counts, sums);
            // Again, with nothing left to move: the first step of points without a move came in a real
            // fit's third iteration, half a second at 10M customers while C2 recompiled the kernel.
            kernels.reassign(x, n, DIMENSIONS, null, nudged, CENTROIDS, labels, dist, counts, sums);
            kernels.assign(x, n, DIMENSIONS, c, CENTROIDS, labels, dist);
            // k-means++ tries 2 + ln k candidates at a time, 2 to 7 for k up to 403: every count, for the
            // kernel's groups of four and its remainder loop.
            kernels.candidatePotentials(x, n, DIMENSIONS, w, nudged, 2 + round / 4 % (CENTROIDS - 2), dist, potentials);
            Arrays.fill(dist, Float.POSITIVE_INFINITY);
            kernels.updateNearestDistance(x, n, DIMENSIONS, w, centre, dist);
            kernels.pairwiseDistanceSums(x, PAIRWISE_ROWS, x, ROWS, DIMENSIONS, rowSums);
            kernels.pairwiseSquaredDistances(x, PAIR_ROWS, x, PAIR_COLUMNS, DIMENSIONS, pairs);
        }
    }
}
