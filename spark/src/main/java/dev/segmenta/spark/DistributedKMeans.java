package dev.segmenta.spark;

import dev.segmenta.engine.cluster.CentroidUpdate;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParallel;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * k-means over cached {@link FeatureBlock}s, driven from the Spark driver: seeding (k-means|| through
 * the engine's {@link KMeansParallel} rounds, or {@code k} random rows), Lloyd iterations and a last
 * pass that scores the returned centres.
 *
 * <p>Every pass broadcasts what the executors need, runs the kernel backend over each partition's
 * blocks in {@code mapPartitions}, and returns one partial per partition, merged by
 * {@link OrderedTreeReduce} in partition order: with the same data, partitioning and seed the model
 * is bit-identical whatever the task timing. The update step ({@link CentroidUpdate}) and the
 * empty-segment policy ({@code FarthestCustomers}: an empty segment takes the customer farthest from
 * its centre) are the engine's. The stop rule is MLlib's: no centre moved farther than {@code tol}.
 *
 * <p>No lambda here captures {@code this}: tasks carry only the blocks' shape, the backend name and
 * broadcast handles.
 */
final class DistributedKMeans {

    private final JavaSparkContext sc;
    private final JavaRDD<FeatureBlock> blocks;
    private final int d;
    private final List<String> featureNames;
    private final String backend;

    /**
     * @param blocks       the customers, cached (every pass reads them again)
     * @param featureNames one name per feature
     * @param backend      the kernel backend name every executor resolves with {@link Kernels#select}
     */
    DistributedKMeans(JavaRDD<FeatureBlock> blocks, List<String> featureNames, String backend) {
        this.sc = JavaSparkContext.fromSparkContext(blocks.context());
        this.blocks = blocks;
        this.d = featureNames.size();
        this.featureNames = List.copyOf(featureNames);
        this.backend = backend;
    }

    /**
     * The outcome of a fit.
     *
     * @param weights  total weight of each segment under the returned centres
     * @param backends the kernel backends that ran on the executors
     */
    record Result(KMeansResult result, double[] weights, Set<String> backends) { }

    /** Rows and weight per partition, from one pass (which also caches the blocks). */
    record Counts(long[] rows, double[] weights, long positiveRows) {

        long total() {
            return Arrays.stream(rows).sum();
        }

        double weight() {
            return Arrays.stream(weights).sum();
        }
    }

    Counts count() {
        List<double[]> perPartition = blocks.mapPartitions(it -> {
            double[] c = new double[3];
            while (it.hasNext()) {
                FeatureBlock block = it.next();
                c[0] += block.n;
                c[1] += positive(block);
                c[2] += block.totalWeight();
            }
            return List.of(c).iterator();
        }, true).collect();
        long[] rows = new long[perPartition.size()];
        double[] weights = new double[rows.length];
        long positive = 0;
        for (int p = 0; p < rows.length; p++) {
            rows[p] = (long) perPartition.get(p)[0];
            positive += (long) perPartition.get(p)[1];
            weights[p] = perPartition.get(p)[2];
        }
        return new Counts(rows, weights, positive);
    }

    private static int positive(FeatureBlock block) {
        if (block.weights == null) {
            return block.n;
        }
        int n = 0;
        for (int i = 0; i < block.n; i++) {
            if (block.weights[i] > 0) {
                n++;
            }
        }
        return n;
    }

    /** k-means|| from a first customer drawn by weight, {@code rounds} rounds, then greedy k-means++ on the candidates. */
    float[] kMeansParallel(Counts counts, int k, int rounds, SplittableRandom random) {
        float[] first = rowAt(counts, weightedRow(counts, random));
        try (Passes passes = new Passes()) {
            KMeansParallel.Candidates found = KMeansParallel.candidates(passes, first, k, rounds,
                    KMeansParallel.DEFAULT_OVERSAMPLING, random);
            try (BlockExecutor executor = new BlockExecutor(1)) {
                return KMeansParallel.seedAmongCandidates(found, k, featureNames, FeatureBlock.ROWS, kernels(backend),
                        executor, random);
            }
        }
    }

    /** {@code k} distinct rows drawn uniformly (Floyd's algorithm), in draw order. */
    float[] randomRows(Counts counts, int k, SplittableRandom random) {
        long total = counts.total();
        Set<Long> drawn = new LinkedHashSet<>();
        for (long j = total - k; j < total; j++) {
            long t = random.nextLong(j + 1);
            drawn.add(drawn.contains(t) ? j : t);
        }
        long[] wanted = drawn.stream().mapToLong(Long::longValue).toArray();
        float[][] rows = rowsAt(counts, wanted);
        float[] centroids = new float[k * d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(rows[j], 0, centroids, j * d, d);
        }
        return centroids;
    }

    /** Global index of a row drawn with probability proportional to its weight. */
    private long weightedRow(Counts counts, SplittableRandom random) {
        double target = random.nextDouble() * counts.weight();
        double[] weights = counts.weights();
        long offset = 0;
        int p = 0;
        for (; p < weights.length - 1 && target >= weights[p]; p++) {
            target -= weights[p];
            offset += counts.rows()[p];
        }
        int partition = p;
        double within = target;
        long[] found = blocks.mapPartitionsWithIndex((index, it) -> {
            if (index != partition) {
                return List.<long[]>of().iterator();
            }
            double left = within;
            long row = 0;
            long lastPositive = -1;
            while (it.hasNext()) {
                FeatureBlock block = it.next();
                for (int i = 0; i < block.n; i++, row++) {
                    float w = block.weights == null ? 1f : block.weights[i];
                    if (w > 0) {
                        lastPositive = row;
                        left -= w;
                        if (left < 0) {
                            return List.of(new long[] {row}).iterator();
                        }
                    }
                }
            }
            return List.of(new long[] {lastPositive}).iterator();
        }, true).collect().getFirst();
        return offset + found[0];
    }

    private float[] rowAt(Counts counts, long index) {
        return rowsAt(counts, new long[] {index})[0];
    }

    /** The features of the rows with the given global indices (partition by partition, row order), in the order asked. */
    private float[][] rowsAt(Counts counts, long[] wanted) {
        long[] starts = new long[counts.rows().length + 1];
        for (int p = 0; p < counts.rows().length; p++) {
            starts[p + 1] = starts[p] + counts.rows()[p];
        }
        int dims = d;
        List<Object[]> found = blocks.mapPartitionsWithIndex((index, it) -> {
            List<Object[]> out = new ArrayList<>();
            long row = starts[index];
            while (it.hasNext()) {
                FeatureBlock block = it.next();
                for (int j = 0; j < wanted.length; j++) {
                    long i = wanted[j] - row;
                    if (i >= 0 && i < block.n) {
                        float[] point = new float[dims];
                        for (int f = 0; f < dims; f++) {
                            point[f] = block.x[f * block.n + (int) i];
                        }
                        out.add(new Object[] {j, point});
                    }
                }
                row += block.n;
            }
            return out.iterator();
        }, true).collect();
        float[][] rows = new float[wanted.length][];
        for (Object[] hit : found) {
            rows[(Integer) hit[0]] = (float[]) hit[1];
        }
        return rows;
    }

    /**
     * Lloyd iterations from {@code initial} until no centre moves farther than {@code tol} or
     * {@code maxIter} iterations, then one pass scoring the centres returned.
     */
    Result lloyd(float[] initial, int k, int maxIter, double tol, KMeansListener listener) {
        float[] centroids = initial.clone();
        long[] times = new long[maxIter];
        int iteration = 0;
        boolean converged = false;
        TreeSet<String> backends = new TreeSet<>();
        while (iteration < maxIter && !converged) {
            long start = System.nanoTime();
            LloydPartial pass = pass(centroids, k);
            pass.farthest.relocateInto(pass.counts, pass.sums, k);
            CentroidUpdate update = CentroidUpdate.toMeans(centroids, pass.counts, pass.sums, k, d);
            centroids = update.centroids();
            converged = update.largestShift() <= tol * tol;
            times[iteration] = System.nanoTime() - start;
            backends.addAll(pass.backends);
            listener.iteration(0, iteration + 1, pass.cost, update.shift(), times[iteration]);
            iteration++;
        }
        LloydPartial score = pass(centroids, k);
        backends.addAll(score.backends);
        KMeansResult result = new KMeansResult(centroids, k, d, score.cost, iteration, converged, 0, 0,
                Arrays.copyOf(times, iteration));
        listener.restartFinished(0, result);
        return new Result(result, score.counts, backends);
    }

    /** One assignment pass: every partition's partial, merged in partition order. */
    private LloydPartial pass(float[] centroids, int k) {
        Broadcast<float[]> shared = sc.broadcast(centroids);
        int dims = d;
        String name = backend;
        try {
            return OrderedTreeReduce.reduce(blocks.mapPartitions(
                    it -> List.of(LloydPartial.of(() -> it, shared.value(), k, dims, kernels(name))).iterator(), true),
                    LloydPartial::add);
        } finally {
            shared.destroy();
        }
    }

    static KMeansKernels kernels(String backend) {
        return Kernels.select(backend).kernels();
    }

    /** Each customer's nearest candidate so far, for one block; replaced (not updated) every round. */
    private static final class Nearest implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        final float[] dist;
        final int[] label;
        final double potential;

        Nearest(float[] dist, int[] label, double potential) {
            this.dist = dist;
            this.label = label;
            this.potential = potential;
        }
    }

    /**
     * The k-means|| passes over the partitions. The nearest-candidate state lives in its own cached
     * RDD, zipped with the blocks; each round persists a new one and drops the old, as MLlib's own
     * k-means|| does, so a lost partition is recomputed from its lineage rather than from mutated state.
     */
    private final class Passes implements KMeansParallel.Passes, AutoCloseable {

        private JavaRDD<Nearest> state;
        /** Every round's state keeps its broadcast in its lineage, so they are destroyed only at the end. */
        private final List<Broadcast<float[]>> broadcasts = new ArrayList<>();

        @Override
        public double start(float[] first) {
            Broadcast<float[]> shared = sc.broadcast(first);
            int dims = d;
            String name = backend;
            return replace(blocks.map(block -> {
                float[] dist = new float[block.n];
                Arrays.fill(dist, Float.POSITIVE_INFINITY);
                double potential = kernels(name).updateNearestDistance(block.x, block.n, dims, block.weights,
                        shared.value(), dist);
                return new Nearest(dist, new int[block.n], potential);
            }), shared);
        }

        @Override
        public float[] sample(double scale, SplittableRandom random) {
            long roundSeed = random.nextLong();
            int dims = d;
            List<float[]> perPartition = blocks.zipPartitions(state, (Iterator<FeatureBlock> bs, Iterator<Nearest> ns) -> {
                SplittableRandom partitionRandom = partitionRandom(roundSeed, TaskContext.getPartitionId());
                float[] kept = new float[0];
                while (bs.hasNext()) {
                    FeatureBlock block = bs.next();
                    float[] drawn = KMeansParallel.sampleBlock(block.x, block.n, dims, block.weights, ns.next().dist,
                            scale, partitionRandom.split());
                    kept = concat(kept, drawn);
                }
                return List.of(kept).iterator();
            }).collect();
            float[] all = new float[0];
            for (float[] kept : perPartition) {
                all = concat(all, kept);
            }
            return all;
        }

        @Override
        public double lower(float[] drawn, int added, int offset) {
            Broadcast<float[]> shared = sc.broadcast(drawn);
            int dims = d;
            String name = backend;
            return replace(blocks.zipPartitions(state, (Iterator<FeatureBlock> bs, Iterator<Nearest> ns) -> {
                KMeansKernels kernels = kernels(name);
                List<Nearest> out = new ArrayList<>();
                while (bs.hasNext()) {
                    FeatureBlock block = bs.next();
                    Nearest before = ns.next();
                    float[] dist = before.dist.clone();
                    int[] label = before.label.clone();
                    double potential = KMeansParallel.lowerNearest(kernels, block.x, block.n, dims, block.weights,
                            shared.value(), added, offset, dist, label, new int[block.n], new float[block.n]);
                    out.add(new Nearest(dist, label, potential));
                }
                return out.iterator();
            }), shared);
        }

        @Override
        public double[] candidateWeights(int count) {
            return OrderedTreeReduce.reduce(blocks.zipPartitions(state, (Iterator<FeatureBlock> bs, Iterator<Nearest> ns) -> {
                double[] sums = new double[count];
                while (bs.hasNext()) {
                    FeatureBlock block = bs.next();
                    KMeansParallel.addCandidateWeights(ns.next().label, block.n, block.weights, sums);
                }
                return List.of(sums).iterator();
            }), (a, b) -> {
                LloydPartial.add(a, b);
                return a;
            });
        }

        /** Caches the new state, sums its potential in partition order, then drops the old state. */
        private double replace(JavaRDD<Nearest> next, Broadcast<float[]> shared) {
            broadcasts.add(shared);
            next.persist(StorageLevel.MEMORY_AND_DISK());
            List<Double> potentials = next.mapPartitions(it -> {
                double sum = 0;
                while (it.hasNext()) {
                    sum += it.next().potential;
                }
                return List.of(sum).iterator();
            }, true).collect();
            shared.unpersist(false);
            if (state != null) {
                state.unpersist(false);
            }
            state = next;
            double total = 0;
            for (double p : potentials) {
                total += p;
            }
            return total;
        }

        @Override
        public void close() {
            if (state != null) {
                state.unpersist(false);
                state = null;
            }
            broadcasts.forEach(b -> b.destroy());
            broadcasts.clear();
        }
    }

    /** A generator per partition and round, from the round's seed and the partition's index only. */
    static SplittableRandom partitionRandom(long roundSeed, int partition) {
        return new SplittableRandom(new SplittableRandom(roundSeed + partition * 0x9E3779B97F4A7C15L).nextLong());
    }

    private static float[] concat(float[] a, float[] b) {
        if (b.length == 0) {
            return a;
        }
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Rejects more segments than customers with positive weight, before any seeding pass. */
    static void checkSize(Counts counts, int k) {
        if (counts.total() == 0) {
            throw noRows();
        }
        if (k > counts.positiveRows()) {
            throw new BadInputException("only " + counts.positiveRows() + " customers (with positive weight) but k="
                    + k + " segments were asked for; lower k to at most " + counts.positiveRows());
        }
    }

    static BadInputException noRows() {
        return new BadInputException("no customers to cluster: the input has no rows");
    }
}
