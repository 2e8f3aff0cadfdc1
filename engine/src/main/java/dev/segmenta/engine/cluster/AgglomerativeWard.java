package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;

/**
 * Ward's minimum-variance agglomerative clustering (Ward, 1963): each step merges the two clusters
 * whose union increases the within-cluster sum of squares least, ordered by the
 * {@link NearestNeighbourChain} (Ward's distance is reducible, so the chain gives exactly the
 * greedy dendrogram in {@code O(n²)} distance evaluations).
 *
 * <p>No distance matrix: Ward's distance between clusters {@code A} and {@code B} follows from their
 * sizes and means alone, {@code sqrt(2·|A|·|B| / (|A| + |B|)) · |mean(A) - mean(B)|} (scipy's merge
 * height; its square is twice the increase in within-cluster sum of squares), so the state is one
 * mean and one size per cluster: {@code O(n·d)} memory. Sizes may be weights, which makes the
 * result exact for clustering weighted points such as the micro-clusters of a two-stage fit: a
 * cluster of weight {@code w} at {@code c} merges exactly as {@code w} points of mean {@code c} would.
 */
@Reference(authors = "J. H. Ward Jr.",
        title = "Hierarchical grouping to optimize an objective function",
        booktitle = "Journal of the American Statistical Association 58(301)",
        year = 1963,
        url = "https://doi.org/10.1080/01621459.1963.10500845")
final class AgglomerativeWard implements NearestNeighbourChain.Clusters {

    private final double[] mean;
    private final double[] size;
    private final int d;

    private AgglomerativeWard(double[] points, double[] weights, int n, int d) {
        this.mean = points.clone();
        this.size = new double[n];
        for (int i = 0; i < n; i++) {
            size[i] = weights == null ? 1 : weights[i];
        }
        this.d = d;
    }

    /**
     * @param points  {@code n · d} values, row-major
     * @param weights per point, {@code > 0}, or {@code null} for 1
     */
    static Dendrogram linkage(double[] points, double[] weights, int n, int d, BlockExecutor executor) {
        return NearestNeighbourChain.run(n, weights, new AgglomerativeWard(points, weights, n, d), executor);
    }

    /** The square of scipy's Ward height between clusters {@code a} and {@code b}. */
    @Override
    public double distance(int a, int b) {
        double sum = 0;
        int ia = a * d;
        int ib = b * d;
        for (int f = 0; f < d; f++) {
            double diff = mean[ia + f] - mean[ib + f];
            sum += diff * diff;
        }
        return 2 * size[a] * size[b] / (size[a] + size[b]) * sum;
    }

    @Override
    public double height(double distance) {
        return Math.sqrt(distance);
    }

    @Override
    public void merge(ActiveClusters active, int lo, int hi) {
        double total = size[lo] + size[hi];
        for (int f = 0; f < d; f++) {
            mean[hi * d + f] = (size[lo] * mean[lo * d + f] + size[hi] * mean[hi * d + f]) / total;
        }
        size[hi] = total;
    }
}
