package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;

import java.util.SplittableRandom;

/**
 * k-means with k-means++ (or, on request, k-means||) seeding and Lloyd iterations, restarted {@code params.restarts()} times from
 * independent seeds; the restart with the lowest inertia wins (the earliest on ties).
 *
 * <p>Restart {@code r} draws from the {@code r}-th generator split off {@code new SplittableRandom(seed)},
 * so a seed names one model whatever the thread count or backend.
 */
public final class KMeans {

    private KMeans() {
    }

    /**
     * The fitted centroids and, for each customer (block by block), its segment and squared distance
     * to that segment's centroid.
     */
    public record Fit(KMeansResult result, int[][] labels, float[][] distances) { }

    /** Fits {@code data}, measuring its mean feature variance (for the tolerance) in one extra pass. */
    public static Fit fit(Dataset data, KMeansParams params, KMeansKernels kernels, BlockExecutor executor,
                          KMeansListener listener) {
        return fit(data, params, kernels, executor, listener, FeatureStats.of(data, executor).meanVariance());
    }

    /**
     * Fits {@code data} whose mean per-feature variance is already known (the tolerance is relative
     * to it), saving a pass over the data.
     */
    public static Fit fit(Dataset data, KMeansParams params, KMeansKernels kernels, BlockExecutor executor,
                          KMeansListener listener, double meanVariance) {
        return fit(data, params, Initialization.KMEANS_PLUS_PLUS, kernels, executor, listener, meanVariance);
    }

    /** Like {@link #fit(Dataset, KMeansParams, KMeansKernels, BlockExecutor, KMeansListener, double)}, seeded by {@code initialization}. */
    public static Fit fit(Dataset data, KMeansParams params, Initialization initialization, KMeansKernels kernels,
                          BlockExecutor executor, KMeansListener listener, double meanVariance) {
        return fit(data, params, initialization.initializer(), kernels, executor, listener, meanVariance);
    }

    /**
     * Lloyd iterations from given starting centroids instead of a seeding (scikit-learn's
     * {@code init=array}): to continue from an earlier model, or to start several engines from the
     * same centroids when comparing them. Only one restart makes sense, so {@code params.restarts()}
     * must be 1.
     *
     * @param initialCentroids {@code k * d} values, row-major, in the space of {@code data} (after scaling)
     */
    public static Fit fitFrom(Dataset data, float[] initialCentroids, KMeansParams params, KMeansKernels kernels,
                              BlockExecutor executor, KMeansListener listener, double meanVariance) {
        if (params.restarts() != 1) {
            throw new IllegalArgumentException("given initial centroids allow one restart, not " + params.restarts());
        }
        if (initialCentroids.length != params.k() * data.dimensions()) {
            throw new IllegalArgumentException("expected k * d = " + params.k() + " * " + data.dimensions()
                    + " initial centroid values, got " + initialCentroids.length);
        }
        float[] given = initialCentroids.clone();
        return fit(data, params, (ws, k, random) -> given.clone(), kernels, executor, listener, meanVariance);
    }

    private static Fit fit(Dataset data, KMeansParams params, CentroidInitializer init, KMeansKernels kernels,
                           BlockExecutor executor, KMeansListener listener, double meanVariance) {
        checkSize(data, params.k());
        try (KMeansWorkspace ws = new KMeansWorkspace(data, kernels, executor, params.k())) {
            ws.residentDescription().ifPresent(listener::dataPlaced);
            double absoluteTolerance = params.tolerance() * meanVariance;
            SplittableRandom root = new SplittableRandom(params.seed());

            KMeansResult best = null;
            for (int r = 0; r < params.restarts(); r++) {
                SplittableRandom random = root.split();
                long start = System.nanoTime();
                float[] initial = init.initialCentroids(ws, params.k(), random);
                long initNanos = System.nanoTime() - start;
                listener.initialised(r, initNanos);
                KMeansResult result = new LloydKMeans(ws, initial, params.k())
                        .run(params.maxIterations(), absoluteTolerance, r, initNanos, listener);
                listener.restartFinished(r, result);
                if (best == null || result.inertia() < best.inertia()) {
                    best = result;
                }
            }
            if (best.restart() != params.restarts() - 1) {
                ws.assign(best.centroids(), best.k());
            }
            return new Fit(best, ws.labels(), ws.minDist());
        }
    }

    /**
     * The memory a fit of {@code k} segments adds to the loaded data: a label and a distance per
     * customer, and per block the partial counts, sums and inertia ({@link KMeansWorkspace}).
     */
    public static DatasetLoader.Workspace workspace(int k) {
        return new DatasetLoader.Workspace(Integer.BYTES + Float.BYTES, Double.BYTES * (k + 1L), Double.BYTES * (long) k, k);
    }

    static void checkSize(Dataset data, int k) {
        long rows = data.rows();
        if (rows == 0) {
            throw new BadInputException("no customers to cluster");
        }
        if (k > rows) {
            throw new BadInputException("only " + rows + " customers but k=" + k
                    + " segments were asked for; lower --k to at most " + rows);
        }
    }
}
