package dev.segmenta.engine.eval;

import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Inertia against the number of segments for a range of k, on one loaded and scaled dataset, with the
 * knee of the curve suggested by {@link Kneedle}: the classic elbow method for choosing k.
 *
 * <p>Each k is an independent k-means fit with the same seed, so its result does not depend on which
 * other k run beside it or on the thread count. Fits run one at a time in ascending k, or several at a
 * time, each on its share of the threads, largest k first (longest first is the classic greedy schedule
 * that keeps all threads busy to the end). Memory: the data once, plus {@code 8} bytes per customer for each fit in
 * flight.
 */
public final class Elbow {

    /** One fit of the curve. */
    public record Point(int k, double inertia, int iterations, boolean converged, double seconds) { }

    /**
     * @param points one per k, ascending
     * @param knee   index into {@code points} of the suggested k, if the curve has a knee
     */
    public record Result(List<Point> points, OptionalInt knee) {

        /** The suggested number of segments, if any. */
        public OptionalInt kneeK() {
            return knee.isPresent() ? OptionalInt.of(points.get(knee.getAsInt()).k()) : OptionalInt.empty();
        }
    }

    /** Told of each finished fit, from the thread that ran it. */
    @FunctionalInterface
    public interface Listener {
        void finished(Point point);
    }

    private Elbow() {
    }

    /**
     * @param scaled       the customers, already scaled
     * @param template     iterations, tolerance, restarts and seed for every fit (its {@code k} is ignored)
     * @param meanVariance of the scaled data, which the tolerance is relative to
     * @param threads      threads in all
     * @param fitsAtOnce   fits run concurrently, each on {@code max(1, threads / fitsAtOnce)} threads
     * @throws BadInputException if {@code toK} exceeds the customers
     */
    public static Result run(Dataset scaled, int fromK, int toK, KMeansParams template, Initialization initialization,
                             double meanVariance, KMeansKernels kernels, int threads, int fitsAtOnce,
                             Listener listener) {
        if (fromK < 1 || toK < fromK) {
            throw new IllegalArgumentException("k range must satisfy 1 <= from <= to, got " + fromK + ".." + toK);
        }
        if (toK > scaled.rows()) {
            throw new BadInputException("only " + scaled.rows() + " customers but k up to " + toK
                    + " was asked for; lower the top of --k to at most " + scaled.rows());
        }
        int count = toK - fromK + 1;
        int concurrent = Math.max(1, Math.min(fitsAtOnce, count));
        int threadsPerFit = Math.max(1, threads / concurrent);
        Point[] points = new Point[count];
        ExecutorService pool = Executors.newFixedThreadPool(concurrent, runnable -> {
            Thread thread = new Thread(runnable, "segmenta-elbow");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int kk = concurrent == 1 ? fromK + i : toK - i;
                futures.add(pool.submit(() -> {
                    KMeansParams params = new KMeansParams(kk, template.maxIterations(), template.tolerance(),
                            template.restarts(), template.seed());
                    long start = System.nanoTime();
                    try (BlockExecutor executor = new BlockExecutor(threadsPerFit)) {
                        KMeansResult r = KMeans.fit(scaled, params, initialization, kernels, executor,
                                KMeansListener.NONE, meanVariance).result();
                        Point point = new Point(kk, r.inertia(), r.iterations(), r.converged(),
                                (System.nanoTime() - start) / 1e9);
                        points[kk - fromK] = point;
                        listener.finished(point);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Point> curve = List.of(points);
        return new Result(curve, knee(curve));
    }

    /** The Kneedle knee of inertia against k. */
    public static OptionalInt knee(List<Point> points) {
        double[] k = new double[points.size()];
        double[] inertia = new double[points.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = points.get(i).k();
            inertia[i] = points.get(i).inertia();
        }
        return Kneedle.kneeOfDecreasingConvex(k, inertia, Kneedle.DEFAULT_SENSITIVITY);
    }
}
