package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;

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
 */
@Reference(authors = "B. Bahmani, B. Moseley, A. Vattani, R. Kumar, S. Vassilvitskii",
        title = "Scalable K-Means++",
        booktitle = "Proceedings of the VLDB Endowment 5(7)",
        year = 2012,
        url = "https://doi.org/10.14778/2180912.2180915")
final class KMeansParallel implements CentroidInitializer {

    static final int DEFAULT_ROUNDS = 5;
    static final double DEFAULT_OVERSAMPLING = 2.0;

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
        if (rounds < 1 || !(oversampling > 0)) {
            throw new IllegalArgumentException("rounds must be >= 1 and oversampling > 0, got " + rounds + ", "
                    + oversampling);
        }
        this.rounds = rounds;
        this.oversampling = oversampling;
    }

    @Override
    public float[] initialCentroids(KMeansWorkspace ws, int k, SplittableRandom random) {
        int d = ws.d;
        int blocks = ws.blockCount();
        double ell = oversampling * k;

        KMeansPlusPlus.Location first = KMeansPlusPlus.firstCentre(ws, random);
        float[] candidates = new float[d];
        ws.copyPoint(first.block(), first.row(), candidates, 0);
        int count = 1;
        ws.resetNearestDistance();
        double[] blockPotential = new double[blocks];
        double potential = ws.updateNearestDistance(candidates, blockPotential);
        int[][] labels = ws.labels();
        ws.executor.forEachBlock(blocks, b -> Arrays.fill(labels[b], 0));

        int[][] scratchLabels = new int[blocks][];
        float[][] scratchDist = new float[blocks][];
        double[] weights;
        for (int round = 0; ; round++) {
            boolean exhausted = !(potential > 0);
            if (round >= rounds || exhausted) {
                weights = candidateWeights(ws, count);
                int distinct = positive(weights);
                if (distinct >= k) {
                    break;
                }
                if (exhausted) {
                    throw new BadInputException("only " + distinct + " distinct customers (with positive weight)"
                            + " but k=" + k + " segments were asked for; lower --k to at most " + distinct);
                }
            }
            float[] drawn = sample(ws, blockPotential, potential, ell, random);
            int added = drawn.length / d;
            if (added == 0) {
                continue;
            }
            potential = updateNearest(ws, drawn, added, count, blockPotential, scratchLabels, scratchDist);
            candidates = Arrays.copyOf(candidates, (count + added) * d);
            System.arraycopy(drawn, 0, candidates, count * d, drawn.length);
            count += added;
        }
        return seedAmongCandidates(ws, candidates, count, weights, k, random);
    }

    /**
     * Keeps each customer with probability {@code min(1, ℓ · w · D² / φ)}; returns the kept ones,
     * row-major, in block order.
     */
    private static float[] sample(KMeansWorkspace ws, double[] blockPotential, double potential, double ell,
                                  SplittableRandom random) {
        int blocks = ws.blockCount();
        int d = ws.d;
        SplittableRandom[] blockRandom = new SplittableRandom[blocks];
        for (int b = 0; b < blocks; b++) {
            blockRandom[b] = random.split();
        }
        float[][] kept = new float[blocks][];
        double scale = ell / potential;
        float[][] nearest = ws.minDist();
        ws.executor.forEachBlock(blocks, b -> {
            if (!(blockPotential[b] > 0)) {
                kept[b] = new float[0];
                return;
            }
            SplittableRandom r = blockRandom[b];
            float[] dist = nearest[b];
            float[] w = ws.data.weights(b);
            float[] out = new float[0];
            int found = 0;
            for (int i = 0; i < dist.length; i++) {
                double mass = (w == null ? 1.0 : w[i]) * dist[i];
                if (mass > 0 && r.nextDouble() < mass * scale) {
                    if ((found + 1) * d > out.length) {
                        out = Arrays.copyOf(out, Math.max(d, out.length * 2));
                    }
                    ws.copyPoint(b, i, out, found++);
                }
            }
            kept[b] = Arrays.copyOf(out, found * d);
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

    /**
     * Lowers every customer's nearest-candidate distance by this round's candidates and relabels it
     * when one of them is strictly nearer (so ties keep the earlier candidate, as the kernels do).
     * The scratch arrays hold one block's assignment to the new candidates and are reused across rounds.
     */
    private static double updateNearest(KMeansWorkspace ws, float[] drawn, int added, int offset,
                                        double[] blockPotential, int[][] scratchLabels, float[][] scratchDist) {
        int d = ws.d;
        float[][] nearest = ws.minDist();
        int[][] assigned = ws.labels();
        ws.executor.forEachBlock(ws.blockCount(), b -> {
            FeatureBatch block = ws.data.block(b);
            int n = block.rows();
            if (scratchLabels[b] == null) {
                scratchLabels[b] = new int[n];
                scratchDist[b] = new float[n];
            }
            int[] label = scratchLabels[b];
            float[] dist = scratchDist[b];
            ws.kernels.assign(block.values(), n, d, drawn, added, label, dist);
            float[] minDist = nearest[b];
            int[] labels = assigned[b];
            float[] w = ws.data.weights(b);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (dist[i] < minDist[i]) {
                    minDist[i] = dist[i];
                    labels[i] = offset + label[i];
                }
                sum += w == null ? minDist[i] : (double) w[i] * minDist[i];
            }
            blockPotential[b] = sum;
        });
        return KMeansWorkspace.sumInOrder(blockPotential);
    }

    /** Total weight of the customers nearest to each candidate, merged in block order. */
    private static double[] candidateWeights(KMeansWorkspace ws, int count) {
        int blocks = ws.blockCount();
        double[][] partial = new double[blocks][];
        int[][] assigned = ws.labels();
        ws.executor.forEachBlock(blocks, b -> {
            double[] sums = new double[count];
            int[] labels = assigned[b];
            float[] w = ws.data.weights(b);
            for (int i = 0; i < labels.length; i++) {
                sums[labels[i]] += w == null ? 1.0 : w[i];
            }
            partial[b] = sums;
        });
        double[] total = new double[count];
        for (double[] p : partial) {
            for (int c = 0; c < count; c++) {
                total[c] += p[c];
            }
        }
        return total;
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

    /** Greedy k-means++ over the candidates, each standing for the weight of its nearest customers. */
    private static float[] seedAmongCandidates(KMeansWorkspace ws, float[] candidates, int count,
                                                      double[] weights, int k, SplittableRandom random) {
        int d = ws.d;
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> blockWeights = new ArrayList<>();
        int blockRows = Math.max(1, ws.data.maxBlockRows());
        for (int start = 0; start < count; start += blockRows) {
            int n = Math.min(blockRows, count - start);
            float[] x = new float[n * d];
            float[] w = new float[n];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = start + i;
                w[i] = (float) weights[start + i];
                for (int f = 0; f < d; f++) {
                    x[f * n + i] = candidates[(start + i) * d + f];
                }
            }
            blocks.add(new FeatureBatch(x, n, d, start, new IdColumn.Longs(ids, n)));
            blockWeights.add(w);
        }
        Dataset weighted = new Dataset(blocks, ws.data.featureNames(), blockWeights.toArray(new float[0][]));
        try (KMeansWorkspace candidateWorkspace = new KMeansWorkspace(weighted, ws.kernels, ws.executor, k)) {
            return new KMeansPlusPlus().initialCentroids(candidateWorkspace, k, random);
        }
    }
}
