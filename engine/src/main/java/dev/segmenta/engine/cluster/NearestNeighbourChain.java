package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;

/**
 * The nearest-neighbour chain (Murtagh, 1983), in the form scipy runs it ({@code nn_chain}, after
 * Müllner, 2011): follow nearest neighbours from the lowest live cluster until two clusters are
 * each other's nearest, merge them into the higher slot, and go on from what is left of the chain.
 * For a reducible linkage (Ward, complete, average, single) this yields exactly the dendrogram of the
 * greedy algorithm with {@code O(n)} nearest-neighbour scans of {@code O(n)} each.
 *
 * <p>Ties keep the chain's previous cluster, then the lowest slot, as scipy's strict comparisons do,
 * so tied heights come out as scipy's. The linkage supplies the distances and the update after a
 * merge; the chain only orders the merges.
 */
@Reference(authors = "D. Müllner",
        title = "Modern hierarchical, agglomerative clustering algorithms",
        booktitle = "arXiv:1109.2378",
        year = 2011,
        url = "https://doi.org/10.48550/arXiv.1109.2378")
final class NearestNeighbourChain {

    /** A linkage's state: the current distances between live clusters and how a merge changes them. */
    interface Clusters {

        /** The distance between live clusters {@code a} and {@code b}, in any monotone form of the height. */
        double distance(int a, int b);

        /** Offers every live slot of {@code slots[from, to)} but {@code x} to {@code out} at its distance to {@code x}. */
        default void scan(ActiveClusters active, int[] slots, int from, int to, int x, ActiveClusters.Nearest out) {
            for (int i = from; i < to; i++) {
                int s = slots[i];
                if (s != x && active.alive(s)) {
                    out.offer(s, distance(x, s));
                }
            }
        }

        /** The merge height of a pair at {@link #distance} {@code distance}. */
        double height(double distance);

        /** Clusters {@code lo} and {@code hi} merge; the result lives on in slot {@code hi}. */
        void merge(ActiveClusters active, int lo, int hi);
    }

    private NearestNeighbourChain() {
    }

    /** @param weights per leaf, or {@code null}; they only add up into the merge sizes here */
    static Dendrogram run(int n, double[] weights, Clusters clusters, BlockExecutor executor) {
        ActiveClusters active = new ActiveClusters(n, executor);
        ActiveClusters.RangeScan scan = (slots, from, to, x, out) -> clusters.scan(active, slots, from, to, x, out);
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
                double current = previous >= 0 ? clusters.distance(x, previous) : Double.POSITIVE_INFINITY;
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
            heights[k] = clusters.height(y.distance);
            clusters.merge(active, lo, hi);
            active.remove(lo);
        }
        return Dendrogram.fromMerges(n, mergedA, mergedB, heights, weights);
    }
}
