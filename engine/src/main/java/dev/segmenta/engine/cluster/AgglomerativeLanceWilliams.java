package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;

/**
 * Complete- and average-linkage agglomerative clustering by the nearest-neighbour chain over a
 * distance matrix updated with the Lance–Williams formulas (Lance and Williams, 1967): after merging
 * {@code x} and {@code y}, the distance to any other cluster {@code i} is
 * {@code max(d(x,i), d(y,i))} (complete) or {@code (|x|·d(x,i) + |y|·d(y,i)) / (|x| + |y|)}
 * (average, UPGMA). Both linkages are reducible, so the {@link NearestNeighbourChain} yields exactly
 * the greedy dendrogram in {@code O(n²)} time.
 *
 * <p>Neither linkage can be computed from cluster summaries, so the matrix is needed: the condensed
 * upper triangle in float, {@code 2·n²} bytes (20,000 points: 0.8 GB). Initial distances are
 * computed in double (in parallel) and rounded once; updates are computed in double from the stored
 * floats, so heights agree with scipy's float64 to about {@code 1e-7} relative.
 */
@Reference(authors = "G. N. Lance, W. T. Williams",
        title = "A general theory of classificatory sorting strategies: 1. Hierarchical systems",
        booktitle = "The Computer Journal 9(4)",
        year = 1967,
        url = "https://doi.org/10.1093/comjnl/9.4.373")
final class AgglomerativeLanceWilliams implements NearestNeighbourChain.Clusters {

    /** The most points whose condensed matrix fits one Java array. */
    static final int MAX_POINTS = 65_000;

    private final float[] dist;
    private final double[] size;
    private final int n;
    private final Linkage linkage;

    private AgglomerativeLanceWilliams(float[] dist, double[] weights, int n, Linkage linkage) {
        this.dist = dist;
        this.size = new double[n];
        for (int i = 0; i < n; i++) {
            size[i] = weights == null ? 1 : weights[i];
        }
        this.n = n;
        this.linkage = linkage;
    }

    /** Bytes of the condensed matrix for {@code n} points. */
    static long matrixBytes(long n) {
        return 4 * (n * (n - 1) / 2);
    }

    /**
     * @param points  {@code n · d} values, row-major
     * @param weights per point, {@code > 0}, or {@code null} for 1 (they matter to average linkage only)
     */
    static Dendrogram linkage(double[] points, double[] weights, int n, int d, Linkage linkage,
                              BlockExecutor executor) {
        if (linkage != Linkage.COMPLETE && linkage != Linkage.AVERAGE) {
            throw new IllegalArgumentException("Lance-Williams chain runs complete or average linkage, not " + linkage);
        }
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException(n + " points is more than the " + MAX_POINTS + " a condensed matrix holds");
        }
        float[] dist = new float[(int) ((long) n * (n - 1) / 2)];
        executor.forEachBlock(n, i -> {
            long row = index(n, i, i + 1);
            for (int j = i + 1; j < n; j++) {
                double sum = 0;
                for (int f = 0; f < d; f++) {
                    double diff = points[i * d + f] - points[j * d + f];
                    sum += diff * diff;
                }
                dist[(int) (row + j - i - 1)] = (float) Math.sqrt(sum);
            }
        });
        return NearestNeighbourChain.run(n, weights, new AgglomerativeLanceWilliams(dist, weights, n, linkage),
                executor);
    }

    @Override
    public double distance(int a, int b) {
        return dist[(int) index(n, Math.min(a, b), Math.max(a, b))];
    }

    @Override
    public double height(double distance) {
        return distance;
    }

    /** The merged cluster takes slot {@code hi}: its distance to every other live cluster, by Lance–Williams. */
    @Override
    public void merge(ActiveClusters active, int lo, int hi) {
        double sLo = size[lo];
        double sHi = size[hi];
        for (int i = 0; i < n; i++) {
            if (i == lo || i == hi || !active.alive(i)) {
                continue;
            }
            int toLo = (int) index(n, Math.min(i, lo), Math.max(i, lo));
            int toHi = (int) index(n, Math.min(i, hi), Math.max(i, hi));
            double merged = linkage == Linkage.COMPLETE ? Math.max(dist[toLo], dist[toHi])
                    : (sLo * dist[toLo] + sHi * dist[toHi]) / (sLo + sHi);
            dist[toHi] = (float) merged;
        }
        size[hi] = sLo + sHi;
    }

    /** Position of the pair {@code i < j} in the condensed upper triangle, row by row. */
    private static long index(int n, int i, int j) {
        return (long) n * i - (long) i * (i + 1) / 2 + (j - i - 1);
    }
}
