package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.kernels.KMeansKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * k-means|| seeding (Bahmani et al., 2012): start from one customer drawn by weight, then for a fixed
 * number of rounds keep every customer independently with probability
 * {@code min(1, ℓ · w · D² / φ)}, where {@code D²} is its squared distance to the nearest candidate so
 * far and {@code φ} the total; about {@code ℓ} candidates join per round. Each candidate is then
 * weighted by the customers nearest to it, and greedy {@link KMeansPlusPlus} picks the {@code k}
 * centroids among the weighted candidates, so every centroid is a customer.
 *
 * <p>Cost: {@code rounds} passes over the data, each an assignment against that round's ~{@code ℓ} new
 * candidates (compute-bound, vectorised), against the {@code k · (3 + ln k)} memory-bound passes of
 * k-means++ on the full data. The nearest candidate of every customer is tracked through the rounds,
 * so the candidate weights need no extra pass.
 *
 * <p>Defaults: {@code ℓ = 2k} and 5 rounds, the setting of the paper's experiments (its Section 5:
 * with {@code ℓ/k = 2}, 5 rounds match k-means++ in final cost). Spark MLlib takes 2 rounds
 * ({@code initSteps}), which trades some seeding quality for 3 fewer passes; Segmenta's passes are in
 * memory and cheap, so it keeps the paper's figure. More rounds run only if fewer than {@code k}
 * distinct candidates were found.
 *
 * <p>Determinism: in each round, every block draws from its own generator, split off the restart's
 * generator in block order before the parallel pass, so the candidates do not depend on the thread
 * count; they are gathered in block order.
 *
 * <p>The rounds ({@link #candidates}) run over {@link Passes}: in memory over the blocks of a fit's
 * workspace, or distributed (the Spark module runs each pass over its partitions with the same
 * per-block steps, {@link #sampleBlock}, {@link #lowerNearest} and {@link #addCandidateWeights}).
 */
@Reference(authors = "B. Bahmani, B. Moseley, A. Vattani, R. Kumar, S. Vassilvitskii",
        title = "Scalable K-Means++",
        booktitle = "Proceedings of the VLDB Endowment 5(7)",
        year = 2012,
        url = "https://doi.org/10.14778/2180912.2180915")
public final class KMeansParallel implements CentroidInitializer {

    static final int DEFAULT_ROUNDS = 5;
    /** {@code ℓ / k}, the paper's and Spark MLlib's choice. */
    public static final double DEFAULT_OVERSAMPLING = 2.0;

    private final int rounds;
    private final double oversampling;

    KMeansParallel() {
        this(DEFAULT_ROUNDS, DEFAULT_OVERSAMPLING);
    }

    /**
     * @param rounds       sampling rounds after the first centre
     * @param oversampling {@code ℓ / k}: expected candidates per round, in multiples of {@code k}
     */
    KMeansParallel(int rounds, double oversampling) {
        checkSettings(rounds, oversampling);
        this.rounds = rounds;
        this.oversampling = oversampling;
    }

    /**
     * The passes over the data that the sampling rounds make. Every pass sees the customers in one
     * fixed order, and each customer's nearest candidate so far (distance and index) is kept between
     * passes.
     */
    public interface Passes {

        /** Makes {@code first} every customer's nearest candidate (index 0); returns the potential {@code φ}. */
        double start(float[] first);

        /**
         * Keeps each customer with probability {@code min(1, scale · w · D²)} ({@link #sampleBlock});
         * returns the kept customers, row-major, in data order. The draws come from {@code random}
         * through generators split or seeded from it in data order, never in task order.
         */
        float[] sample(double scale, SplittableRandom random);

        /** Lowers every customer's nearest candidate by {@code added} new ones ({@link #lowerNearest}); returns {@code φ}. */
        double lower(float[] drawn, int added, int offset);

        /** The total weight of the customers nearest to each of the {@code count} candidates ({@link #addCandidateWeights}). */
        double[] candidateWeights(int count);
    }

    /**
     * The weighted candidates of a k-means|| seeding.
     *
     * @param points  {@code count} candidates, row-major; the first is the starting customer
     * @param weights the weight of the customers nearest to each; at least {@code k} are positive
     */
    public record Candidates(float[] points, int count, double[] weights) { }

    @Override
    public float[] initialCentroids(KMeansWorkspace ws, int k, SplittableRandom random) {
        KMeansPlusPlus.Location first = KMeansPlusPlus.firstCentre(ws, random);
        float[] start = new float[ws.d];
        ws.copyPoint(first.block(), first.row(), start, 0);
        Candidates found = candidates(new InMemory(ws), start, k, rounds, oversampling, random);
        return seedAmongCandidates(found, k, ws.data.featureNames(), Math.max(1, ws.data.maxBlockRows()), ws.kernels,
                ws.executor, random);
    }

    /**
     * The sampling rounds from {@code first}: {@code rounds} of them, more only while fewer than
     * {@code k} distinct candidates have been found.
     *
     * @param oversampling {@code ℓ / k}
     * @throws BadInputException if the data has fewer than {@code k} distinct customers with positive weight
     */
    public static Candidates candidates(Passes passes, float[] first, int k, int rounds, double oversampling,
                                        SplittableRandom random) {
        checkSettings(rounds, oversampling);
        int d = first.length;
        double ell = oversampling * k;
        float[] candidates = first.clone();
        int count = 1;
        double potential = passes.start(first);
        for (int round = 0; ; round++) {
            boolean exhausted = !(potential > 0);
            if (round >= rounds || exhausted) {
                double[] weights = passes.candidateWeights(count);
                int distinct = positive(weights);
                if (distinct >= k) {
                    return new Candidates(candidates, count, weights);
                }
                if (exhausted) {
                    throw new BadInputException("only " + distinct + " distinct customers (with positive weight)"
                            + " but k=" + k + " segments were asked for; lower --k to at most " + distinct);
                }
            }
            float[] drawn = passes.sample(ell / potential, random);
            int added = drawn.length / d;
            if (added == 0) {
                continue;
            }
            potential = passes.lower(drawn, added, count);
            candidates = Arrays.copyOf(candidates, (count + added) * d);
            System.arraycopy(drawn, 0, candidates, count * d, drawn.length);
            count += added;
        }
    }

    private static void checkSettings(int rounds, double oversampling) {
        if (rounds < 1 || !(oversampling > 0)) {
            throw new IllegalArgumentException("rounds must be >= 1 and oversampling > 0, got " + rounds + ", "
                    + oversampling);
        }
    }

    /**
     * One block's draw in a sampling round: keeps each customer with probability
     * {@code min(1, scale · w · D²)}, where {@code scale = ℓ / φ}.
     *
     * @param x       the block, column-major
     * @param weights per-customer weights, or {@code null} for weight 1
     * @param minDist each customer's squared distance to its nearest candidate so far
     * @param random  the block's own generator (one draw per customer with positive mass)
     * @return the kept customers, row-major, in row order
     */
    public static float[] sampleBlock(float[] x, int n, int d, float[] weights, float[] minDist, double scale,
                                      SplittableRandom random) {
        float[] out = new float[0];
        int found = 0;
        for (int i = 0; i < n; i++) {
            double mass = (weights == null ? 1.0 : weights[i]) * minDist[i];
            if (mass > 0 && random.nextDouble() < mass * scale) {
                if ((found + 1) * d > out.length) {
                    out = Arrays.copyOf(out, Math.max(d, out.length * 2));
                }
                for (int f = 0; f < d; f++) {
                    out[found * d + f] = x[f * n + i];
                }
                found++;
            }
        }
        return Arrays.copyOf(out, found * d);
    }

    /**
     * Lowers each customer's nearest-candidate distance by a round's new candidates and relabels it
     * when one of them is strictly nearer (so ties keep the earlier candidate, as the kernels do).
     *
     * @param drawn        the round's {@code added} new candidates, row-major
     * @param offset       index of the first new candidate among all candidates
     * @param minDist      in/out: squared distance to the nearest candidate
     * @param labels       in/out: index of the nearest candidate
     * @param scratchLabel scratch, at least {@code n} long
     * @param scratchDist  scratch, at least {@code n} long
     * @return the block's potential {@code Σ w · minDist} after the update
     */
    public static double lowerNearest(KMeansKernels kernels, float[] x, int n, int d, float[] weights, float[] drawn,
                                      int added, int offset, float[] minDist, int[] labels, int[] scratchLabel,
                                      float[] scratchDist) {
        kernels.assign(x, n, d, drawn, added, scratchLabel, scratchDist);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (scratchDist[i] < minDist[i]) {
                minDist[i] = scratchDist[i];
                labels[i] = offset + scratchLabel[i];
            }
            sum += weights == null ? minDist[i] : (double) weights[i] * minDist[i];
        }
        return sum;
    }

    /** Adds each of a block's {@code n} customers' weight to its nearest candidate's total in {@code sums}. */
    public static void addCandidateWeights(int[] labels, int n, float[] weights, double[] sums) {
        for (int i = 0; i < n; i++) {
            sums[labels[i]] += weights == null ? 1.0 : weights[i];
        }
    }

    private static int positive(double[] weights) {
        int n = 0;
        for (double w : weights) {
            if (w > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The last step: greedy {@link KMeansPlusPlus} over the candidates, each standing for the weight of
     * the customers nearest to it, so every centroid chosen is a candidate.
     *
     * @param featureNames the {@code d} features
     * @param blockRows    rows per block of the candidates' in-memory dataset
     * @return {@code k} centroids, row-major
     */
    public static float[] seedAmongCandidates(Candidates found, int k, List<String> featureNames, int blockRows,
                                              KMeansKernels kernels, BlockExecutor executor, SplittableRandom random) {
        int d = featureNames.size();
        int count = found.count();
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> blockWeights = new ArrayList<>();
        for (int start = 0; start < count; start += blockRows) {
            int n = Math.min(blockRows, count - start);
            float[] x = new float[n * d];
            float[] w = new float[n];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = start + i;
                w[i] = (float) found.weights()[start + i];
                for (int f = 0; f < d; f++) {
                    x[f * n + i] = found.points()[(start + i) * d + f];
                }
            }
            blocks.add(new FeatureBatch(x, n, d, start, new IdColumn.Longs(ids, n)));
            blockWeights.add(w);
        }
        Dataset weighted = new Dataset(blocks, featureNames, blockWeights.toArray(new float[0][]));
        try (KMeansWorkspace candidateWorkspace = new KMeansWorkspace(weighted, kernels, executor, k)) {
            return new KMeansPlusPlus().initialCentroids(candidateWorkspace, k, random);
        }
    }

    /**
     * The passes over a fit's in-memory blocks, in parallel; per-block results are merged in block
     * order. The scratch arrays hold one block's assignment to a round's candidates and are reused
     * across rounds.
     */
    private static final class InMemory implements Passes {

        private final KMeansWorkspace ws;
        private final double[] blockPotential;
        private final int[][] scratchLabels;
        private final float[][] scratchDist;

        InMemory(KMeansWorkspace ws) {
            this.ws = ws;
            int blocks = ws.blockCount();
            this.blockPotential = new double[blocks];
            this.scratchLabels = new int[blocks][];
            this.scratchDist = new float[blocks][];
        }

        @Override
        public double start(float[] first) {
            ws.resetNearestDistance();
            double potential = ws.updateNearestDistance(first, blockPotential);
            int[][] labels = ws.labels();
            ws.executor.forEachBlock(ws.blockCount(), b -> Arrays.fill(labels[b], 0));
            return potential;
        }

        @Override
        public float[] sample(double scale, SplittableRandom random) {
            int blocks = ws.blockCount();
            SplittableRandom[] blockRandom = new SplittableRandom[blocks];
            for (int b = 0; b < blocks; b++) {
                blockRandom[b] = random.split();
            }
            float[][] kept = new float[blocks][];
            float[][] nearest = ws.minDist();
            ws.executor.forEachBlock(blocks, b -> {
                FeatureBatch block = ws.data.block(b);
                kept[b] = blockPotential[b] > 0
                        ? sampleBlock(block.values(), block.rows(), ws.d, ws.data.weights(b), nearest[b], scale,
                                blockRandom[b])
                        : new float[0];
            });
            int total = 0;
            for (float[] block : kept) {
                total += block.length;
            }
            float[] all = new float[total];
            int at = 0;
            for (float[] block : kept) {
                System.arraycopy(block, 0, all, at, block.length);
                at += block.length;
            }
            return all;
        }

        @Override
        public double lower(float[] drawn, int added, int offset) {
            float[][] nearest = ws.minDist();
            int[][] labels = ws.labels();
            ws.executor.forEachBlock(ws.blockCount(), b -> {
                FeatureBatch block = ws.data.block(b);
                int n = block.rows();
                if (scratchLabels[b] == null) {
                    scratchLabels[b] = new int[n];
                    scratchDist[b] = new float[n];
                }
                blockPotential[b] = lowerNearest(ws.kernels, block.values(), n, ws.d, ws.data.weights(b), drawn, added,
                        offset, nearest[b], labels[b], scratchLabels[b], scratchDist[b]);
            });
            return KMeansWorkspace.sumInOrder(blockPotential);
        }

        @Override
        public double[] candidateWeights(int count) {
            int blocks = ws.blockCount();
            double[][] partial = new double[blocks][];
            int[][] labels = ws.labels();
            ws.executor.forEachBlock(blocks, b -> {
                partial[b] = new double[count];
                addCandidateWeights(labels[b], labels[b].length, ws.data.weights(b), partial[b]);
            });
            double[] total = new double[count];
            for (double[] p : partial) {
                for (int c = 0; c < count; c++) {
                    total[c] += p[c];
                }
            }
            return total;
        }
    }
}
