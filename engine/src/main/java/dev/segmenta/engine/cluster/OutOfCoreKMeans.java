package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.Cancellation;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.KMeansKernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Lloyd's k-means over a file that need not fit in memory: every iteration streams the file from disk
 * block by block, scales each block, assigns it and adds its partial sums; nothing per customer is
 * kept between blocks.
 *
 * <p>Passes over the file: one for the feature statistics (for the scaling and the tolerance) that
 * also draws a uniform reservoir sample (Vitter's algorithm R) of {@value #SAMPLE_ROWS} customers;
 * one per Lloyd iteration; one to score the final centroids. Seeding runs in memory on the scaled
 * sample: the full in-memory {@link KMeans} fit (the chosen initialisation, all restarts, Lloyd to
 * convergence) of the sample gives the starting centroids. That costs no pass over the file, keeps
 * the restarts nearly free, and starts the streamed Lloyd close to its optimum, so few passes follow;
 * k-means|| over the stream would cost one pass per round and still need the Lloyd passes.
 *
 * <p>Memory: {@code threads} blocks in flight ({@code 4 · d · blockRows} bytes each plus ids, labels
 * and distances), the sample ({@code 4 · d} bytes per sampled customer, twice while it is built),
 * {@code O(threads · k · d)} partial sums and the reader's buffers; independent of the file's size.
 *
 * <p>Determinism: blocks come in file order, groups of {@code threads} blocks are processed in
 * parallel and their partials are merged in block order, exactly as {@link LloydKMeans} merges the
 * same blocks in memory, so from the same starting centroids both give bit-identical centroids.
 * Empty clusters follow {@link LloydKMeans}'s policy: the farthest customers of the pass (kept while
 * streaming by {@link FarthestCustomers}, {@code k} of them) are moved into them.
 *
 * <p>Sample weights are not supported: every customer has weight 1.
 */
@Reference(authors = "S. P. Lloyd",
        title = "Least squares quantization in PCM",
        booktitle = "IEEE Transactions on Information Theory 28(2)",
        year = 1982,
        url = "https://doi.org/10.1109/TIT.1982.1056489")
public final class OutOfCoreKMeans {

    /** Customers in the in-memory sample that seeds the streamed iterations. */
    public static final int SAMPLE_ROWS = 100_000;

    /**
     * A streamed fit.
     *
     * @param stats   the unscaled feature statistics of the whole file
     * @param scaling the scaling fitted on {@code stats}; centroids live in the scaled space
     * @param sizes   customers per segment under the final centroids
     */
    public record Fit(List<String> featureNames, FeatureStats stats, Scaling scaling, KMeansResult result,
                      long[] sizes) { }

    private final Path file;
    private final Supplier<FeatureSource> opener;
    private final int blockRows;
    private final KMeansKernels kernels;
    private final BlockExecutor executor;

    public OutOfCoreKMeans(Path file, ReadOptions options, KMeansKernels kernels, BlockExecutor executor) {
        this(file, () -> FeatureSource.open(file, options), options.blockRows(), kernels, executor);
    }

    /**
     * @param opener    opens a new pass over the file's customers, from the first (for example a
     *                  {@link dev.segmenta.engine.prep.PreparedInput}'s prepared reads)
     * @param blockRows the rows per block that {@code opener}'s sources hand out
     */
    public OutOfCoreKMeans(Path file, Supplier<FeatureSource> opener, int blockRows, KMeansKernels kernels,
                           BlockExecutor executor) {
        this.file = file;
        this.opener = opener;
        this.blockRows = blockRows;
        this.kernels = kernels;
        this.executor = executor;
    }

    /**
     * Fits {@code params.k()} segments to the file, scaled by {@code scalingMethod}
     * ({@link Scaling#fit}); {@code params.restarts()} restarts of {@code initialization} run on the sample.
     *
     * @throws BadInputException for an empty file or one with fewer than {@code k} customers, and for
     *                           anything the reader rejects
     */
    public Fit fit(KMeansParams params, Initialization initialization, String scalingMethod, KMeansListener listener) {
        SplittableRandom root = new SplittableRandom(params.seed());
        SplittableRandom reservoirRandom = root.split();
        FeatureStats.Accumulator accumulator;
        List<String> names;
        Reservoir reservoir;
        try (FeatureSource source = opener.get()) {
            names = source.featureNames();
            accumulator = new FeatureStats.Accumulator(names.size());
            reservoir = new Reservoir(SAMPLE_ROWS, names.size(), reservoirRandom);
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                accumulator.add(batch);
                reservoir.add(batch);
            }
        }
        FeatureStats stats = accumulator.result();
        if (stats.count() == 0) {
            throw new BadInputException(file + ": no customers to cluster");
        }
        if (params.k() > stats.count()) {
            throw new BadInputException(file + ": only " + stats.count() + " customers but k=" + params.k()
                    + " segments were asked for; lower --k to at most " + stats.count());
        }
        Scaling scaling = Scaling.fit(scalingMethod, stats);
        scaling.checkDistances(stats, names);
        double meanVariance = scaling.scaledMeanVariance(stats);

        long start = System.nanoTime();
        Dataset sample = reservoir.dataset(names, blockRows);
        executor.forEachBlock(sample.blockCount(), b -> scaling.apply(sample.block(b)));
        KMeansParams sampleParams = new KMeansParams(params.k(), params.maxIterations(), params.tolerance(),
                params.restarts(), root.nextLong());
        float[] initial = KMeans.fit(sample, sampleParams, initialization, kernels, executor, KMeansListener.NONE,
                meanVariance).result().centroids();
        long initNanos = System.nanoTime() - start;
        listener.initialised(0, initNanos);
        return lloyd(names, stats, scaling, initial, params, meanVariance, initNanos, listener);
    }

    /** The streamed Lloyd iterations from {@code initial} and the scoring pass. */
    Fit lloyd(List<String> names, FeatureStats stats, Scaling scaling, float[] initial, KMeansParams params,
              double meanVariance, long initNanos, KMeansListener listener) {
        int k = params.k();
        int d = names.size();
        double absoluteTolerance = params.tolerance() * meanVariance;
        float[] centroids = initial.clone();
        IterationTimes times = new IterationTimes();
        int iteration = 0;
        boolean converged = false;
        Pass pass = new Pass(k, d, executor.threads(), blockRows);
        while (iteration < params.maxIterations() && !converged) {
            Cancellation.check();
            long start = System.nanoTime();
            double inertia = pass.accumulate(scaling, centroids);
            pass.farthest.relocateInto(pass.counts, pass.sums, k);
            CentroidUpdate update = CentroidUpdate.toMeans(centroids, pass.counts, pass.sums, k, d);
            centroids = update.centroids();
            double shift = update.shift();
            long nanos = System.nanoTime() - start;
            times.add(nanos);
            converged = shift <= absoluteTolerance;
            listener.iteration(0, iteration + 1, inertia, shift, nanos);
            iteration++;
        }
        long[] sizes = new long[k];
        double[] inertia = new double[1];
        forEachAssignment(scaling, centroids, k, (block, labels, distances) -> {
            for (int label : labels) {
                sizes[label]++;
            }
            inertia[0] += KMeansWorkspace.weightedSum(distances, null);
        });
        KMeansResult result = new KMeansResult(centroids, k, d, inertia[0], iteration, converged, 0, initNanos,
                times.toArray());
        listener.restartFinished(0, result);
        return new Fit(names, stats, scaling, result, sizes);
    }

    /**
     * Streams the file once more and hands every block's nearest centroid and squared distance to
     * {@code consumer}, in file order (for writing assignments); see {@link StreamedAssignment}.
     *
     * @throws UncheckedIOException wrapping an {@link IOException} thrown by {@code consumer}
     */
    public void forEachAssignment(Scaling scaling, float[] centroids, int k, StreamedAssignment.Consumer consumer) {
        try (FeatureSource source = opener.get()) {
            new StreamedAssignment(kernels, executor).forEach(source, scaling, centroids, k, consumer);
        }
    }

    /**
     * One Lloyd pass over the file: merged counts and sums, and the {@code k} customers farthest from
     * their centroids (largest distance first, earlier rows first on ties) for empty clusters.
     */
    private final class Pass {

        private final int k;
        private final int d;
        private final FeatureBatch[] group;
        private final int[][] labels;
        private final float[][] distances;
        private final double[][] blockCounts;
        private final double[][] blockSums;
        private final double[] blockInertia;
        private final FarthestCustomers[] blockFarthest;
        final double[] counts;
        final double[] sums;
        FarthestCustomers farthest;

        Pass(int k, int d, int threads, int blockRows) {
            this.k = k;
            this.d = d;
            this.group = new FeatureBatch[threads];
            this.labels = new int[threads][blockRows];
            this.distances = new float[threads][blockRows];
            this.blockCounts = new double[threads][k];
            this.blockSums = new double[threads][k * d];
            this.blockInertia = new double[threads];
            this.blockFarthest = new FarthestCustomers[threads];
            this.counts = new double[k];
            this.sums = new double[k * d];
        }

        /** Returns the inertia w.r.t. {@code c}. */
        double accumulate(Scaling scaling, float[] c) {
            Arrays.fill(counts, 0);
            Arrays.fill(sums, 0);
            farthest = new FarthestCustomers(k, d);
            double inertia = 0;
            try (FeatureSource source = opener.get()) {
                for (int m = StreamedAssignment.read(source, group); m > 0; m = StreamedAssignment.read(source, group)) {
                    executor.forEachBlock(m, g -> {
                        FeatureBatch block = group[g];
                        int n = block.rows();
                        scaling.apply(block);
                        if (labels[g].length != n) {
                            labels[g] = new int[n];
                            distances[g] = new float[n];
                        }
                        Arrays.fill(blockCounts[g], 0);
                        Arrays.fill(blockSums[g], 0);
                        blockInertia[g] = kernels.assignAndAccumulate(block.values(), n, d, null, c, k,
                                labels[g], distances[g], blockCounts[g], blockSums[g]);
                        FarthestCustomers far = new FarthestCustomers(k, d);
                        far.scan(block.values(), n, null, labels[g], distances[g]);
                        blockFarthest[g] = far;
                    });
                    for (int g = 0; g < m; g++) {
                        for (int j = 0; j < k; j++) {
                            counts[j] += blockCounts[g][j];
                        }
                        for (int t = 0; t < k * d; t++) {
                            sums[t] += blockSums[g][t];
                        }
                        inertia += blockInertia[g];
                        farthest.merge(blockFarthest[g]);
                    }
                }
            }
            return inertia;
        }
    }

    /** A uniform sample of fixed size over a stream of unknown length (Vitter's algorithm R). */
    private static final class Reservoir {

        private final int capacity;
        private final int d;
        private final SplittableRandom random;
        private float[] rows;
        private long seen;

        Reservoir(int capacity, int d, SplittableRandom random) {
            this.capacity = capacity;
            this.d = d;
            this.random = random;
            this.rows = new float[0];
        }

        void add(FeatureBatch block) {
            int n = block.rows();
            float[] x = block.values();
            for (int i = 0; i < n; i++, seen++) {
                int slot;
                if (seen < capacity) {
                    slot = (int) seen;
                    if ((slot + 1) * d > rows.length) {
                        rows = Arrays.copyOf(rows, Math.min(capacity * d, Math.max(d, rows.length * 2)));
                    }
                } else {
                    long r = random.nextLong(seen + 1);
                    if (r >= capacity) {
                        continue;
                    }
                    slot = (int) r;
                }
                for (int f = 0; f < d; f++) {
                    rows[slot * d + f] = x[f * n + i];
                }
            }
        }

        /** The sample as column-major blocks of {@code blockRows}. */
        Dataset dataset(List<String> names, int blockRows) {
            int count = (int) Math.min(seen, capacity);
            List<FeatureBatch> blocks = new ArrayList<>();
            for (int start = 0; start < count; start += blockRows) {
                int n = Math.min(blockRows, count - start);
                float[] x = new float[n * d];
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = start + i;
                    for (int f = 0; f < d; f++) {
                        x[f * n + i] = rows[(start + i) * d + f];
                    }
                }
                blocks.add(new FeatureBatch(x, n, d, start, new IdColumn.Longs(ids, n)));
            }
            return new Dataset(blocks, names, null);
        }
    }
}
