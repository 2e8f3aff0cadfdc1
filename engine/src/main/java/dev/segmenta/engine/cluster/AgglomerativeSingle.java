package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Single-linkage agglomerative clustering as a minimum spanning tree (Gower and Ross, 1969): the
 * single-linkage dendrogram is the MST's edges in increasing length, each joining the two clusters
 * it connects. The tree is grown by Prim's algorithm, which needs only each outside point's distance
 * to the tree: {@code O(n)} memory and {@code O(n²)} distance evaluations, computed on the fly in
 * double (no matrix). The growth order, ties included, is scipy's {@code mst_single_linkage}
 * (start at point 0, take the first strict minimum), so equal heights come out in scipy's order.
 */
@Reference(authors = "J. C. Gower, G. J. S. Ross",
        title = "Minimum spanning trees and single linkage cluster analysis",
        booktitle = "Journal of the Royal Statistical Society, Series C (Applied Statistics) 18(1)",
        year = 1969,
        url = "https://doi.org/10.2307/2346439")
final class AgglomerativeSingle {

    /** Points per parallel chunk of the distance update. */
    private static final int CHUNK = 8192;

    private AgglomerativeSingle() {
    }

    /**
     * @param points  {@code n · d} values, row-major
     * @param weights per point, or {@code null}; they only add up into the merge sizes
     */
    static Dendrogram linkage(double[] points, double[] weights, int n, int d, BlockExecutor executor) {
        boolean[] inTree = new boolean[n];
        double[] toTree = new double[n];
        int[] nearest = new int[n];
        Arrays.fill(toTree, Double.POSITIVE_INFINITY);
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] chunkBest = new double[chunks];
        int[] chunkIndex = new int[chunks];
        int[] mergedA = new int[n - 1];
        int[] mergedB = new int[n - 1];
        double[] heights = new double[n - 1];
        int x = 0;
        for (int k = 0; k < n - 1; k++) {
            inTree[x] = true;
            int added = x;
            IntConsumer update = c -> {
                double best = Double.POSITIVE_INFINITY;
                int bestIndex = -1;
                int base = added * d;
                for (int i = c * CHUNK, end = Math.min(n, (c + 1) * CHUNK); i < end; i++) {
                    if (inTree[i]) {
                        continue;
                    }
                    double sum = 0;
                    for (int f = 0; f < d; f++) {
                        double diff = points[base + f] - points[i * d + f];
                        sum += diff * diff;
                    }
                    if (sum < toTree[i]) {
                        toTree[i] = sum;
                        nearest[i] = added;
                    }
                    if (toTree[i] < best) {
                        best = toTree[i];
                        bestIndex = i;
                    }
                }
                chunkBest[c] = best;
                chunkIndex[c] = bestIndex;
            };
            if (chunks == 1 || executor.threads() == 1) {
                for (int c = 0; c < chunks; c++) {
                    update.accept(c);
                }
            } else {
                executor.forEachBlock(chunks, update);
            }
            int y = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < chunks; c++) {
                if (chunkIndex[c] >= 0 && chunkBest[c] < best) {
                    best = chunkBest[c];
                    y = chunkIndex[c];
                }
            }
            mergedA[k] = nearest[y];
            mergedB[k] = y;
            heights[k] = Math.sqrt(best);
            x = y;
        }
        return Dendrogram.fromMerges(n, mergedA, mergedB, heights, weights);
    }
}
