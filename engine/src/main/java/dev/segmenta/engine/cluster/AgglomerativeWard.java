package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;

/**
 * Ward's minimum-variance agglomerative clustering (Ward, 1963) by the nearest-neighbour chain
 * (Murtagh, 1983; in the form of Müllner, 2011, the algorithm scipy runs): follow nearest
 * neighbours from any cluster until two clusters are each other's nearest, merge them, and continue
 * from what is left of the chain. Ward's distance is reducible, so this yields exactly the
 * dendrogram of the greedy algorithm in {@code O(n²)} distance evaluations.
 *
 * <p>No distance matrix: Ward's distance between clusters {@code A} and {@code B} follows from their
 * sizes and means alone, {@code sqrt(2·|A|·|B| / (|A| + |B|)) · |mean(A) - mean(B)|} (scipy's merge
 * height; its square is twice the increase in within-cluster sum of squares), so the state is one
 * mean and one size per cluster: {@code O(n·d)} memory. Sizes may be weights, which makes the
 * result exact for clustering weighted points such as the micro-clusters of a two-stage fit: a
 * cluster of weight {@code w} at {@code c} merges exactly as {@code w} points of mean {@code c} would.
 *
 * <p>Ties in the nearest neighbour keep the chain's previous cluster, then the lowest index, as
 * scipy's {@code nn_chain} does; merged clusters take the higher slot.
 */
@Reference(authors = "D. Müllner",
        title = "Modern hierarchical, agglomerative clustering algorithms",
        booktitle = "arXiv:1109.2378",
        year = 2011,
        url = "https://doi.org/10.48550/arXiv.1109.2378")
final class AgglomerativeWard {

    private AgglomerativeWard() {
    }

    /**
     * @param points  {@code n · d} values, row-major
     * @param weights per point, {@code > 0}, or {@code null} for 1
     */
    static Dendrogram linkage(double[] points, double[] weights, int n, int d, BlockExecutor executor) {
        double[] mean = points.clone();
        double[] size = new double[n];
        for (int i = 0; i < n; i++) {
            size[i] = weights == null ? 1 : weights[i];
        }
        ActiveClusters active = new ActiveClusters(n, executor);
        ActiveClusters.RangeScan scan = (slots, from, to, x, out) -> {
            for (int i = from; i < to; i++) {
                int s = slots[i];
                if (s != x && active.alive(s)) {
                    out.offer(s, squaredWard(mean, size, d, x, s));
                }
            }
        };
        int[] chain = new int[n];
        int length = 0;
        int[] mergedA = new int[n - 1];
        int[] mergedB = new int[n - 1];
        double[] heights = new double[n - 1];
        for (int k = 0; k < n - 1; k++) {
            if (length == 0) {
                chain[length++] = active.first();
            }
            int x;
            ActiveClusters.Nearest y;
            while (true) {
                x = chain[length - 1];
                int previous = length > 1 ? chain[length - 2] : -1;
                double current = previous >= 0 ? squaredWard(mean, size, d, x, previous) : Double.POSITIVE_INFINITY;
                y = active.nearest(x, previous, current, scan);
                if (y.index == previous) {
                    break;
                }
                chain[length++] = y.index;
            }
            length -= 2;
            int lo = Math.min(x, y.index);
            int hi = Math.max(x, y.index);
            mergedA[k] = lo;
            mergedB[k] = hi;
            heights[k] = Math.sqrt(y.distance);
            double total = size[lo] + size[hi];
            for (int f = 0; f < d; f++) {
                mean[hi * d + f] = (size[lo] * mean[lo * d + f] + size[hi] * mean[hi * d + f]) / total;
            }
            size[hi] = total;
            active.remove(lo);
        }
        return Dendrogram.fromMerges(n, mergedA, mergedB, heights, weights);
    }

    /** The square of scipy's Ward height between clusters {@code a} and {@code b}. */
    private static double squaredWard(double[] mean, double[] size, int d, int a, int b) {
        double sum = 0;
        int ia = a * d;
        int ib = b * d;
        for (int f = 0; f < d; f++) {
            double diff = mean[ia + f] - mean[ib + f];
            sum += diff * diff;
        }
        return 2 * size[a] * size[b] / (size[a] + size[b]) * sum;
    }
}
