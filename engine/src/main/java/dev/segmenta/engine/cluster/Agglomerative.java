package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;

import java.util.Locale;

/**
 * Agglomerative (hierarchical) clustering of customers with Ward, complete, average or single
 * linkage, cut into flat segments by a number of clusters or a height.
 *
 * <ul>
 *   <li><b>Exact</b>, up to {@value #MAX_EXACT_ROWS} customers: the hierarchy of the customers
 *       themselves, {@code O(n²)} time. Ward ({@link AgglomerativeWard}) and single
 *       ({@link AgglomerativeSingle}) need {@code O(n·d)} memory; complete and average
 *       ({@link AgglomerativeLanceWilliams}) a float distance matrix of {@code 2·n²} bytes, checked
 *       against the free heap before it is allocated.</li>
 *   <li><b>Two-stage</b>, for any size: k-means (k-means|| seeding, Lloyd) into {@code m}
 *       micro-clusters, then the hierarchy of the micro-clusters, each weighted by its customers.
 *       With Ward this is exact for the micro-clusters as units: a micro-cluster of {@code w}
 *       customers at mean {@code c} merges exactly as those customers would once gathered; the
 *       other linkages treat each micro-cluster as {@code w} customers at its mean (average
 *       linkage weights by them; single and complete ignore them), an approximation.</li>
 * </ul>
 * The segments' centroids are their customers' means, so a cut model predicts by nearest centroid.
 */
public final class Agglomerative {

    /** The most customers an exact hierarchy takes; beyond, its {@code O(n²)} time runs to hours. */
    public static final int MAX_EXACT_ROWS = 100_000;

    private Agglomerative() {
    }

    /** Where to cut the dendrogram: into {@code clusters} segments, or at {@code height} (one of the two). */
    public record Cut(int clusters, double height) {

        public static Cut clusters(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("the cut needs at least 1 cluster, got " + k);
            }
            return new Cut(k, Double.NaN);
        }

        public static Cut height(double height) {
            if (!(height >= 0) || Double.isInfinite(height)) {
                throw new IllegalArgumentException("the cut height must be a finite number >= 0, got " + height);
            }
            return new Cut(0, height);
        }

        boolean byHeight() {
            return clusters == 0;
        }
    }

    /**
     * @param dendrogram    the hierarchy of the leaves (customers, or micro-clusters)
     * @param labels        segment per customer, block by block
     * @param partition     the segments' centroids, sizes, inertia and each customer's squared distance
     * @param cutHeight     the height of the cut (for a cut by count: midway between the last merge made and the next)
     * @param microClusters the first stage's k-means, or {@code null} for an exact hierarchy
     * @param leafOf        per customer, the leaf of the dendrogram it belongs to (block by block)
     */
    public record Fit(Dendrogram dendrogram, int[][] labels, Partition partition, double cutHeight,
                      KMeansResult microClusters, int[][] leafOf) {

        public int clusters() {
            return partition.clusters();
        }
    }

    /**
     * The dendrogram of {@code n} weighted points.
     *
     * @param points  {@code n · d} values, row-major
     * @param weights per point, each {@code > 0}, or {@code null} for 1
     */
    public static Dendrogram linkage(double[] points, double[] weights, int n, int d, Linkage linkage,
                                     BlockExecutor executor) {
        if (n < 1) {
            throw new IllegalArgumentException("nothing to cluster");
        }
        return switch (linkage) {
            case WARD -> AgglomerativeWard.linkage(points, weights, n, d, executor);
            case SINGLE -> AgglomerativeSingle.linkage(points, weights, n, d, executor);
            case COMPLETE, AVERAGE -> AgglomerativeLanceWilliams.linkage(points, weights, n, d, linkage, executor);
        };
    }

    /**
     * Clusters a dataset (already scaled).
     *
     * @param microClusters 0 for the exact hierarchy, else the first stage's number of k-means clusters
     * @param microParams   the first stage's k-means settings ({@code k} is replaced by {@code microClusters})
     */
    public static Fit fit(Dataset data, Linkage linkage, Cut cut, int microClusters, KMeansParams microParams,
                          KMeansKernels kernels, BlockExecutor executor, KMeansListener kmeansListener,
                          PhaseListener listener) {
        long rows = data.rows();
        if (rows == 0) {
            throw new BadInputException("no customers to cluster");
        }
        checkPositiveWeights(data);
        int d = data.dimensions();
        Leaves leaves = microClusters > 0
                ? microClusters(data, microClusters, microParams, kernels, executor, kmeansListener, listener)
                : customers(data, linkage);
        long start = System.nanoTime();
        Dendrogram dendrogram = linkage(leaves.points, leaves.weights, leaves.count, d, linkage, executor);
        listener.phaseFinished(String.format(Locale.ROOT, "%s linkage of %,d %s", linkage.label(), leaves.count,
                microClusters > 0 ? "micro-clusters" : "customers"), System.nanoTime() - start);

        int k = cut.byHeight() ? dendrogram.clustersAtHeight(cut.height()) : cut.clusters();
        if (k > leaves.count) {
            throw new BadInputException("only " + leaves.count + (microClusters > 0 ? " micro-clusters" : " customers")
                    + " but k=" + k + " segments were asked for; lower --k to at most " + leaves.count
                    + (microClusters > 0 ? " or raise --micro-clusters" : ""));
        }
        // Identical leaves merge at height 0, first: cutting one of those merges would make segments
        // with the same centroid, which no assignment could tell apart.
        int distinct = dendrogram.clustersAtHeight(0);
        if (k > distinct) {
            throw new BadInputException("only " + distinct + " distinct " + (microClusters > 0 ? "micro-clusters" : "customers")
                    + " but k=" + k + " segments were asked for; lower --k to at most " + distinct);
        }
        int[] leafLabels = dendrogram.cut(k);
        int[][] labels = new int[data.blockCount()][];
        for (int b = 0; b < data.blockCount(); b++) {
            int[] leafOf = leaves.leafOf[b];
            int[] label = new int[leafOf.length];
            for (int i = 0; i < label.length; i++) {
                label[i] = leafLabels[leafOf[i]];
            }
            labels[b] = label;
        }
        Partition partition = Partition.of(data, labels, k, executor);
        double height = cut.byHeight() ? cut.height() : dendrogram.cutHeight(k);
        return new Fit(dendrogram, labels, partition, height, leaves.kmeans, leaves.leafOf);
    }

    /** The dendrogram's leaves: points, weights, and which leaf each customer is. */
    private record Leaves(double[] points, double[] weights, int count, int[][] leafOf, KMeansResult kmeans) { }

    private static Leaves customers(Dataset data, Linkage linkage) {
        long rows = data.rows();
        if (rows > MAX_EXACT_ROWS) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "%,d customers is more than the %,d an exact hierarchy takes (its time grows with the square "
                            + "of the customers); add --micro-clusters 2000 to cluster k-means micro-clusters "
                            + "instead", rows, MAX_EXACT_ROWS));
        }
        int n = (int) rows;
        if (linkage == Linkage.COMPLETE || linkage == Linkage.AVERAGE) {
            checkMatrixFits(n, linkage);
        }
        int d = data.dimensions();
        double[] points = new double[n * d];
        double[] weights = data.weights() == null ? null : new double[n];
        int[][] leafOf = new int[data.blockCount()][];
        int at = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            FeatureBatch block = data.block(b);
            int bn = block.rows();
            float[] x = block.values();
            float[] w = data.weights(b);
            leafOf[b] = new int[bn];
            for (int i = 0; i < bn; i++, at++) {
                leafOf[b][i] = at;
                for (int f = 0; f < d; f++) {
                    points[at * d + f] = x[f * bn + i];
                }
                if (w != null) {
                    weights[at] = w[i];
                }
            }
        }
        return new Leaves(points, weights, n, leafOf, null);
    }

    /** A weight-0 leaf has no mean to merge at (Ward's and average's updates divide by the weights). */
    private static void checkPositiveWeights(Dataset data) {
        for (int b = 0; b < data.blockCount(); b++) {
            float[] w = data.weights(b);
            for (int i = 0; w != null && i < w.length; i++) {
                if (!(w[i] > 0)) {
                    throw new BadInputException("row " + (data.block(b).firstRow() + i + 1) + " has weight " + w[i]
                            + "; hierarchical clustering needs weights > 0 (drop the row or the weight column)");
                }
            }
        }
    }

    private static void checkMatrixFits(int n, Linkage linkage) {
        long need = AgglomerativeLanceWilliams.matrixBytes(n);
        Runtime runtime = Runtime.getRuntime();
        long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (n > AgglomerativeLanceWilliams.MAX_POINTS || need > 0.9 * free) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "%s linkage of %,d customers needs a %.1f GB distance matrix but the JVM has %.1f GB free; "
                            + "add --micro-clusters 2000 to cluster k-means micro-clusters instead, use --linkage "
                            + "ward or single (no matrix), or raise the heap (SEGMENTA_JAVA_OPTS=-Xmx...)",
                    linkage.label(), n, need / 1e9, free / 1e9));
        }
    }

    private static Leaves microClusters(Dataset data, int m, KMeansParams params, KMeansKernels kernels,
                                        BlockExecutor executor, KMeansListener kmeansListener, PhaseListener listener) {
        if (m >= data.rows()) {
            throw new BadInputException("--micro-clusters " + m + " is not below the " + data.rows()
                    + " customers; drop it to cluster the customers themselves");
        }
        long start = System.nanoTime();
        KMeansParams micro = new KMeansParams(m, params.maxIterations(), params.tolerance(), params.restarts(),
                params.seed());
        KMeans.Fit fit = KMeans.fit(data, micro, Initialization.KMEANS_PARALLEL, kernels, executor, kmeansListener,
                FeatureStats.of(data, executor).meanVariance());
        int d = data.dimensions();
        double[] weight = new double[m];
        for (int b = 0; b < data.blockCount(); b++) {
            float[] w = data.weights(b);
            int[] labels = fit.labels()[b];
            for (int i = 0; i < labels.length; i++) {
                weight[labels[i]] += w == null ? 1.0 : w[i];
            }
        }
        int[] leafOfCluster = new int[m];
        int count = 0;
        for (int j = 0; j < m; j++) {
            leafOfCluster[j] = weight[j] > 0 ? count++ : -1;
        }
        double[] points = new double[count * d];
        double[] weights = new double[count];
        float[] centroids = fit.result().centroids();
        for (int j = 0; j < m; j++) {
            int leaf = leafOfCluster[j];
            if (leaf >= 0) {
                weights[leaf] = weight[j];
                for (int f = 0; f < d; f++) {
                    points[leaf * d + f] = centroids[j * d + f];
                }
            }
        }
        int[][] leafOf = new int[data.blockCount()][];
        for (int b = 0; b < data.blockCount(); b++) {
            int[] labels = fit.labels()[b];
            int[] leaf = new int[labels.length];
            for (int i = 0; i < labels.length; i++) {
                leaf[i] = leafOfCluster[labels[i]];
            }
            leafOf[b] = leaf;
        }
        listener.phaseFinished(String.format(Locale.ROOT, "k-means into %,d micro-clusters (%d iterations, inertia %.6g)",
                count, fit.result().iterations(), fit.result().inertia()), System.nanoTime() - start);
        return new Leaves(points, weights, count, leafOf, fit.result());
    }
}
