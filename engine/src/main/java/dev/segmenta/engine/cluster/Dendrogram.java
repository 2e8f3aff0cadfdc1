package dev.segmenta.engine.cluster;

import java.util.Arrays;

/**
 * The merges of an agglomerative clustering of {@code n} leaves, in scipy's linkage-matrix form:
 * merge {@code i} (0-based) joins clusters {@link #left(int)} and {@link #right(int)} at
 * {@link #height(int)} into cluster {@code n + i} of {@link #size(int)} (the sum of its leaves'
 * weights, the number of points when unweighted). Ids below {@code n} are leaves. Merges are sorted
 * by height (stably), and {@code left < right}: exactly the matrix {@code scipy.cluster.hierarchy.linkage}
 * returns for the same merges.
 */
public final class Dendrogram {

    private final int n;
    private final int[] left;
    private final int[] right;
    private final double[] height;
    private final double[] size;

    private Dendrogram(int n, int[] left, int[] right, double[] height, double[] size) {
        this.n = n;
        this.left = left;
        this.right = right;
        this.height = height;
        this.size = size;
    }

    /**
     * From merges in the order an algorithm made them, each naming one leaf of either cluster
     * (any leaf it contains; scipy's "slots"): sorts them by height, stably, then names every
     * cluster by its merge number, as scipy's {@code label} does.
     *
     * @param weights per leaf, or {@code null} for 1
     */
    static Dendrogram fromMerges(int n, int[] leafA, int[] leafB, double[] heights, double[] weights) {
        int merges = n - 1;
        Integer[] order = new Integer[merges];
        for (int i = 0; i < merges; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(heights[a], heights[b]));
        int[] parent = new int[2 * n - 1];
        Arrays.setAll(parent, i -> i);
        double[] clusterSize = new double[2 * n - 1];
        for (int i = 0; i < n; i++) {
            clusterSize[i] = weights == null ? 1 : weights[i];
        }
        int[] left = new int[merges];
        int[] right = new int[merges];
        double[] height = new double[merges];
        double[] size = new double[merges];
        for (int i = 0; i < merges; i++) {
            int m = order[i];
            int a = root(parent, leafA[m]);
            int b = root(parent, leafB[m]);
            if (a == b) {
                throw new IllegalStateException("merge " + m + " joins a cluster with itself");
            }
            int id = n + i;
            parent[a] = id;
            parent[b] = id;
            clusterSize[id] = clusterSize[a] + clusterSize[b];
            left[i] = Math.min(a, b);
            right[i] = Math.max(a, b);
            height[i] = heights[m];
            size[i] = clusterSize[id];
        }
        return new Dendrogram(n, left, right, height, size);
    }

    private static int root(int[] parent, int x) {
        int r = x;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[x] != r) {
            int next = parent[x];
            parent[x] = r;
            x = next;
        }
        return r;
    }

    /** Number of leaves. */
    public int leaves() {
        return n;
    }

    /** Number of merges, {@code leaves() - 1}. */
    public int merges() {
        return n - 1;
    }

    public int left(int merge) {
        return left[merge];
    }

    public int right(int merge) {
        return right[merge];
    }

    public double height(int merge) {
        return height[merge];
    }

    public double size(int merge) {
        return size[merge];
    }

    /**
     * The flat clustering with {@code k} clusters: the first {@code n - k} merges, as
     * scikit-learn's {@code AgglomerativeClustering(n_clusters=k)} cuts. Clusters are numbered in the
     * order of their first leaf.
     */
    public int[] cut(int k) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("cannot cut " + n + " leaves into " + k + " clusters");
        }
        int[] parent = new int[2 * n - 1];
        Arrays.setAll(parent, i -> i);
        for (int i = 0; i < n - k; i++) {
            parent[left[i]] = n + i;
            parent[right[i]] = n + i;
        }
        int[] clusterOfRoot = new int[2 * n - 1];
        Arrays.fill(clusterOfRoot, -1);
        int[] labels = new int[n];
        int next = 0;
        for (int leaf = 0; leaf < n; leaf++) {
            int r = root(parent, leaf);
            if (clusterOfRoot[r] < 0) {
                clusterOfRoot[r] = next++;
            }
            labels[leaf] = clusterOfRoot[r];
        }
        return labels;
    }

    /**
     * How many clusters remain when every merge at or below {@code height} is made, as scipy's
     * {@code fcluster(Z, height, criterion='distance')} cuts.
     */
    public int clustersAtHeight(double height) {
        int made = 0;
        while (made < n - 1 && this.height[made] <= height) {
            made++;
        }
        return n - made;
    }

    /**
     * A height that separates the cut into {@code k} clusters from the next merge: midway between
     * the last merge made and the first one not made (for drawing the cut).
     */
    public double cutHeight(int k) {
        if (k >= n) {
            return 0;
        }
        double below = height[n - k - 1];
        return k == 1 ? below : (below + height[n - k]) / 2;
    }
}
