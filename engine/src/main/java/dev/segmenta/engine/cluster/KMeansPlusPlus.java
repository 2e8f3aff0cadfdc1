package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.io.BadInputException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur and Vassilvitskii, 2007), greedy variant: each new centre is the best of
 * {@code 2 + ⌊ln k⌋} candidates drawn with probability proportional to (weight × squared distance to the
 * nearest chosen centre), the candidate kept being the one that lowers the total potential most.
 * This is the variant scikit-learn uses; the greedy trials make bad seeds much rarer than plain k-means++.
 *
 * <p>Cost: {@code 2k - 1} passes over the data, each vectorised by the kernel backend: per new centre, one
 * evaluates every candidate ({@code candidatePotentials}) and one updates the nearest distances.
 */
@Reference(authors = "D. Arthur, S. Vassilvitskii",
        title = "k-means++: the advantages of careful seeding",
        booktitle = "Proceedings of the 18th Annual ACM-SIAM Symposium on Discrete Algorithms (SODA)",
        year = 2007,
        url = "https://dl.acm.org/doi/10.5555/1283383.1283494")
final class KMeansPlusPlus implements CentroidInitializer {

    @Override
    public float[] initialCentroids(KMeansWorkspace ws, int k, SplittableRandom random) {
        int d = ws.d;
        int blocks = ws.blockCount();
        float[] centroids = new float[k * d];
        int trials = 2 + (int) Math.log(k);

        ws.resetNearestDistance();
        Location first = firstCentre(ws, random);
        ws.copyPoint(first.block, first.row, centroids, 0);
        double[] blockPotential = new double[blocks];
        double potential = ws.updateNearestDistance(Arrays.copyOfRange(centroids, 0, d), blockPotential);

        float[] candidates = new float[trials * d];
        double[][] blockCandidatePotential = new double[blocks][trials];
        for (int j = 1; j < k; j++) {
            if (!(potential > 0)) {
                throw new BadInputException("only " + j + " distinct customers (with positive weight) but k=" + k
                        + " segments were asked for; lower --k to at most " + j);
            }
            for (int t = 0; t < trials; t++) {
                Location candidate = sample(ws, blockPotential, random.nextDouble() * potential);
                ws.copyPoint(candidate.block, candidate.row, candidates, t);
            }
            ws.candidatePotentials(candidates, trials, blockCandidatePotential);
            int best = 0;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double p = 0;
                for (int b = 0; b < blocks; b++) {
                    p += blockCandidatePotential[b][t];
                }
                if (p < bestPotential) {
                    bestPotential = p;
                    best = t;
                }
            }
            float[] chosen = Arrays.copyOfRange(candidates, best * d, (best + 1) * d);
            System.arraycopy(chosen, 0, centroids, j * d, d);
            potential = ws.updateNearestDistance(chosen, blockPotential);
        }
        return centroids;
    }

    record Location(int block, int row) { }

    /** The first centre: uniform over customers, or proportional to weight when weights are given. */
    static Location firstCentre(KMeansWorkspace ws, SplittableRandom random) {
        int blocks = ws.blockCount();
        double[] blockWeight = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            float[] w = ws.data.weights(b);
            if (w == null) {
                blockWeight[b] = ws.data.block(b).rows();
            } else {
                double sum = 0;
                for (float v : w) {
                    sum += v;
                }
                blockWeight[b] = sum;
            }
        }
        double total = KMeansWorkspace.sumInOrder(blockWeight);
        if (!(total > 0)) {
            throw new BadInputException("every customer has weight 0; give some customers a positive weight");
        }
        double target = random.nextDouble() * total;
        for (int b = 0; b < blocks; b++) {
            if (target < blockWeight[b] || b == blocks - 1) {
                for (int i = 0, n = ws.data.block(b).rows(); i < n; i++) {
                    target -= ws.weight(b, i);
                    if (target < 0) {
                        return new Location(b, i);
                    }
                }
                return lastPositive(ws, b, ws::weight);
            }
            target -= blockWeight[b];
        }
        throw new IllegalStateException("no customer to start from");
    }

    /**
     * The customer where the running total of {@code weight × minDist} first exceeds {@code target}
     * (inverse-CDF sampling); whole blocks are skipped by their potentials.
     */
    private static Location sample(KMeansWorkspace ws, double[] blockPotential, double target) {
        int blocks = ws.blockCount();
        for (int b = 0; b < blocks; b++) {
            if (target < blockPotential[b] || b == blocks - 1) {
                float[] dist = ws.minDist()[b];
                float[] w = ws.data.weights(b);
                for (int i = 0; i < dist.length; i++) {
                    target -= w == null ? dist[i] : (double) w[i] * dist[i];
                    if (target < 0) {
                        return new Location(b, i);
                    }
                }
                return lastPositive(ws, b, (block, i) -> ws.weight(block, i) * (double) ws.minDist()[block][i]);
            }
            target -= blockPotential[b];
        }
        throw new IllegalStateException("no customer to sample");
    }

    /** Probability mass of one customer in a sampling step. */
    @FunctionalInterface
    private interface Mass {
        double of(int block, int row);
    }

    /** Rounding can leave the target just past the end: take the last customer that could be drawn. */
    private static Location lastPositive(KMeansWorkspace ws, int fromBlock, Mass mass) {
        for (int b = fromBlock; b >= 0; b--) {
            for (int i = ws.data.block(b).rows() - 1; i >= 0; i--) {
                if (mass.of(b, i) > 0) {
                    return new Location(b, i);
                }
            }
        }
        throw new IllegalStateException("no customer with positive mass");
    }
}
