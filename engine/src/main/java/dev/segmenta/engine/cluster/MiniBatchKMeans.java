package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.io.Cancellation;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.kernels.KMeansKernels;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mini-batch k-means (Sculley, 2010): each step draws a small batch of customers uniformly with
 * replacement, assigns it to the current centroids and moves every centroid towards the mean of its
 * batch members with learning rate {@code 1 / (total weight the centroid has absorbed so far)}, i.e.
 * each centroid is the running mean of every customer ever assigned to it. The batched form of the
 * update is scikit-learn's {@code MiniBatchKMeans}; a final full pass assigns every customer and
 * scores the centroids.
 *
 * <p>Stop rule (scikit-learn's): {@code maxIterations} epochs of {@code rows / batchSize} steps at
 * most; earlier when a step moves the centroids by at most {@code tolerance × mean feature variance}
 * (squared, summed; only for a tolerance above 0) or when the exponentially smoothed batch inertia (weight
 * {@code 2 · batchSize / (rows + 1)} per step, from the second step on) has not improved for {@code maxNoImprovement} steps.
 *
 * <p>Seeding runs on a uniform sample of {@code 3 · batchSize} customers (at least {@code 3k}), as in
 * scikit-learn; with several restarts, the seeding with the lowest inertia on that sample is kept and
 * only it is refined, since the steps are where the time goes.
 *
 * <p>Empty clusters: a centroid that no batch member picks keeps its place (it may end up with no
 * customers); scikit-learn's random reassignment of rarely chosen centroids is not done, so a seed
 * always names one result.
 *
 * <p>Determinism: batches are drawn from the restart's seeded generator and assigned on the calling
 * thread; only the final pass runs in parallel, with per-block results merged in block order.
 */
@Reference(authors = "D. Sculley",
        title = "Web-scale k-means clustering",
        booktitle = "Proceedings of the 19th International Conference on World Wide Web (WWW)",
        year = 2010,
        url = "https://doi.org/10.1145/1772690.1772862")
public final class MiniBatchKMeans {

    /** scikit-learn's default batch size. */
    public static final int DEFAULT_BATCH_SIZE = 1024;
    /** scikit-learn's default patience for the smoothed inertia. */
    public static final int DEFAULT_MAX_NO_IMPROVEMENT = 10;

    private final int batchSize;
    private final int maxNoImprovement;

    public MiniBatchKMeans(int batchSize, int maxNoImprovement) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (maxNoImprovement < 1) {
            throw new IllegalArgumentException("max steps without improvement must be at least 1, got "
                    + maxNoImprovement);
        }
        this.batchSize = batchSize;
        this.maxNoImprovement = maxNoImprovement;
    }

    public MiniBatchKMeans() {
        this(DEFAULT_BATCH_SIZE, DEFAULT_MAX_NO_IMPROVEMENT);
    }

    /** Fits {@code data}, measuring its mean feature variance (for the tolerance) in one extra pass. */
    public KMeans.Fit fit(Dataset data, KMeansParams params, Initialization initialization, KMeansKernels kernels,
                          BlockExecutor executor, KMeansListener listener) {
        return fit(data, params, initialization, kernels, executor, listener,
                FeatureStats.of(data, executor).meanVariance());
    }

    /**
     * Fits {@code data}. {@link KMeansResult#iterations()} counts mini-batch steps and
     * {@link KMeansResult#iterationNanos()} holds the time of each.
     */
    public KMeans.Fit fit(Dataset data, KMeansParams params, Initialization initialization, KMeansKernels kernels,
                          BlockExecutor executor, KMeansListener listener, double meanVariance) {
        int k = params.k();
        KMeans.checkSize(data, k);
        int d = data.dimensions();
        long rows = data.rows();
        SplittableRandom random = new SplittableRandom(params.seed());
        Rows index = new Rows(data);

        long initStart = System.nanoTime();
        int initSize = (int) Math.min(rows, Math.max(3L * batchSize, 3L * k));
        Dataset initSample = initSize == rows ? data : index.gather(random, initSize);
        CentroidInitializer init = initialization.initializer();
        float[] centroids = null;
        try (KMeansWorkspace sampleWs = new KMeansWorkspace(initSample, kernels, executor, k)) {
            double bestSampleInertia = Double.POSITIVE_INFINITY;
            for (int r = 0; r < params.restarts(); r++) {
                float[] candidate = init.initialCentroids(sampleWs, k, random.split());
                double inertia = sampleWs.assign(candidate, k);
                if (inertia < bestSampleInertia) {
                    bestSampleInertia = inertia;
                    centroids = candidate;
                }
            }
        }
        long initNanos = System.nanoTime() - initStart;
        listener.initialised(0, initNanos);

        int batch = (int) Math.min(batchSize, rows);
        long maxSteps = Math.max(1, params.maxIterations() * rows / batch);
        double alpha = Math.min(1.0, 2.0 * batch / (rows + 1));
        double absoluteTolerance = params.tolerance() * meanVariance;
        double[] absorbed = new double[k];
        double[] counts = new double[k];
        double[] sums = new double[k * d];
        int[] labels = new int[batch];
        float[] dist = new float[batch];
        float[] x = new float[batch * d];
        float[] w = data.weights() == null ? null : new float[batch];
        IterationTimes times = new IterationTimes();
        double smoothed = 0;
        double bestSmoothed = Double.POSITIVE_INFINITY;
        int sinceImprovement = 0;
        boolean converged = false;
        long step = 0;
        while (step < maxSteps && !converged) {
            Cancellation.check();
            long start = System.nanoTime();
            index.draw(random, batch, x, w);
            Arrays.fill(counts, 0);
            Arrays.fill(sums, 0);
            double batchInertia = kernels.assignAndAccumulate(x, batch, d, w, centroids, k, labels, dist, counts, sums);
            double shift = 0;
            for (int j = 0; j < k; j++) {
                if (counts[j] <= 0) {
                    continue;
                }
                double before = absorbed[j];
                absorbed[j] += counts[j];
                for (int f = 0; f < d; f++) {
                    int t = j * d + f;
                    float moved = (float) ((centroids[t] * before + sums[t]) / absorbed[j]);
                    double move = (double) moved - centroids[t];
                    shift += move * move;
                    centroids[t] = moved;
                }
            }
            double perCustomer = batchInertia / batch;
            // The first batch is scored against the seeding, far above anything later; smoothing from
            // it would read as steady improvement for thousands of steps, so it is left out.
            if (step > 0) {
                smoothed = step == 1 ? perCustomer : smoothed * (1 - alpha) + perCustomer * alpha;
                converged = absoluteTolerance > 0 && shift <= absoluteTolerance;
                if (smoothed < bestSmoothed) {
                    bestSmoothed = smoothed;
                    sinceImprovement = 0;
                } else if (++sinceImprovement >= maxNoImprovement) {
                    converged = true;
                }
            }
            long nanos = System.nanoTime() - start;
            times.add(nanos);
            step++;
            listener.iteration(0, (int) step, batchInertia, shift, nanos);
        }

        try (KMeansWorkspace ws = new KMeansWorkspace(data, kernels, executor, k)) {
            double inertia = ws.assign(centroids, k);
            KMeansResult result = new KMeansResult(centroids.clone(), k, d, inertia, (int) step, converged, 0, initNanos,
                    times.toArray());
            listener.restartFinished(0, result);
            return new KMeans.Fit(result, ws.labels(), ws.minDist());
        }
    }

    /** Random access to customers by ordinal: every block but the last has the same row count. */
    private static final class Rows {

        private final Dataset data;
        private final int blockRows;
        private final long rows;

        Rows(Dataset data) {
            this.data = data;
            this.blockRows = data.block(0).rows();
            this.rows = data.rows();
        }

        /** Draws {@code n} customers uniformly with replacement into column-major {@code x} (and their weights). */
        void draw(SplittableRandom random, int n, float[] x, float[] w) {
            int d = data.dimensions();
            for (int i = 0; i < n; i++) {
                long row = random.nextLong(rows);
                int b = (int) (row / blockRows);
                int r = (int) (row % blockRows);
                FeatureBatch block = data.block(b);
                int bn = block.rows();
                float[] values = block.values();
                for (int f = 0; f < d; f++) {
                    x[f * n + i] = values[f * bn + r];
                }
                if (w != null) {
                    w[i] = data.weights(b)[r];
                }
            }
        }

        /** {@code n} customers drawn uniformly with replacement, as a one-block dataset. */
        Dataset gather(SplittableRandom random, int n) {
            float[] x = new float[n * data.dimensions()];
            float[] w = data.weights() == null ? null : new float[n];
            draw(random, n, x, w);
            long[] ids = new long[n];
            Arrays.setAll(ids, i -> i);
            FeatureBatch block = new FeatureBatch(x, n, data.dimensions(), 0, new IdColumn.Longs(ids, n));
            return new Dataset(List.of(block), data.featureNames(), w == null ? null : new float[][] {w});
        }
    }
}
