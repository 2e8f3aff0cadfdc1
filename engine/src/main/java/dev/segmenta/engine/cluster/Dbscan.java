package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * DBSCAN (Ester, Kriegel, Sander and Xu, 1996). A customer is a <em>core</em> point when the
 * (weighted) number of customers within {@code eps} of it, itself included, is at least
 * {@code minSamples}; core points within {@code eps} of each other are in one cluster; a non-core
 * customer within {@code eps} of a core point is a <em>border</em> point of that core point's
 * cluster; every other customer is noise, labelled {@code -1}.
 *
 * <p>Labels are exactly scikit-learn's ({@code sklearn.cluster.DBSCAN}), not only up to renaming:
 * clusters are numbered in the input order of their first core point, and a border point within
 * {@code eps} of several clusters joins the lowest-numbered one, which is the cluster whose
 * expansion reaches it first in scikit-learn's (and the paper's) scan. The result does not depend on
 * the order in which this implementation visits points, so it is the same for any thread count.
 *
 * <p>How: the points are copied into a {@link NeighbourIndex} ({@link SpatialIndex#GRID} or
 * {@link SpatialIndex#KDTREE}), then three parallel passes over its groups compute distances from a
 * group's points to its candidate groups' points in blocks with the kernel's
 * {@link KMeansKernels#pairwiseSquaredDistances} and keep only what each pass needs: the neighbour
 * weights (core or not), a concurrent union-find over core pairs (connected components), and for
 * non-core points the lowest cluster among their core neighbours. No neighbourhood is ever stored,
 * so memory is {@code O(n)}: about {@code 4·d + 50} bytes per customer beside the dataset, against
 * scikit-learn's stored neighbourhoods, which grow with {@code n ×} the mean neighbour count.
 * Time is one distance evaluation per candidate pair per pass (the second pass visits each group
 * pair once).
 *
 * <p>Distances are {@code Σ (x - c)²} in float, as in all kernels; a pair at exactly {@code eps}
 * may therefore be decided differently from scikit-learn's float64 in the last bit.
 */
@Reference(authors = "M. Ester, H.-P. Kriegel, J. Sander, X. Xu",
        title = "A density-based algorithm for discovering clusters in large spatial databases with noise",
        booktitle = "Proceedings of the 2nd International Conference on Knowledge Discovery and Data Mining (KDD)",
        year = 1996,
        url = "https://dl.acm.org/doi/10.5555/3001460.3001507")
public final class Dbscan {

    /** scikit-learn's default. */
    public static final int DEFAULT_MIN_SAMPLES = 5;

    /** Rows and columns of one distance block: 128 × 1024 floats (512 KB) stays in a core's L2 cache. */
    private static final int TILE_ROWS = 128;
    private static final int TILE_COLS = 1024;

    private final double eps;
    private final int minSamples;
    private final SpatialIndex index;

    /**
     * @param eps        neighbourhood radius, in the (scaled) feature space, {@code > 0}
     * @param minSamples neighbours (weighted, the point itself included) that make a core point, {@code ≥ 1}
     */
    public Dbscan(double eps, int minSamples, SpatialIndex index) {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number > 0, got " + eps);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("min samples must be at least 1, got " + minSamples);
        }
        this.eps = eps;
        this.minSamples = minSamples;
        this.index = index;
    }

    public double eps() {
        return eps;
    }

    public int minSamples() {
        return minSamples;
    }

    /**
     * The clustering, block by block in the dataset's order.
     *
     * @param labels           cluster per customer, {@code -1} for noise
     * @param squaredDistances squared distance to the nearest core point of the customer's cluster
     *                         (0 for a core point), NaN for noise
     * @param core             whether each customer is a core point
     * @param clusters         number of clusters (labels are {@code 0 .. clusters - 1})
     * @param index            the index kind that was used
     * @param distances        distances computed over the three passes: the fit's cost, whatever the machine
     */
    public record Result(int[][] labels, float[][] squaredDistances, boolean[][] core, int clusters, long noise,
                         long corePoints, SpatialIndex index, long distances) { }

    public Result fit(Dataset data, KMeansKernels kernels, BlockExecutor executor, PhaseListener listener) {
        if (data.rows() == 0) {
            throw new BadInputException("no customers to cluster");
        }
        int d = data.dimensions();
        long start = System.nanoTime();
        float[] x = NeighbourIndex.columnMajor(data);
        int n = (int) data.rows();
        NeighbourIndex idx = NeighbourIndex.build(index, x, n, d, eps);
        float[] weights = weightsByPosition(data, idx);
        listener.phaseFinished("built " + idx.kind().label() + " index of " + idx.groups() + " groups", System.nanoTime() - start);

        Run run = new Run(idx, kernels, eps);
        start = System.nanoTime();
        boolean[] core = run.coreFlags(executor, weights, minSamples);
        listener.phaseFinished("found core points", System.nanoTime() - start);

        start = System.nanoTime();
        int[] label = run.connectCores(executor, core);
        listener.phaseFinished("connected core points", System.nanoTime() - start);

        start = System.nanoTime();
        float[] distance = run.attachBorders(executor, core, label);
        listener.phaseFinished("attached border points", System.nanoTime() - start);

        return result(data, idx, core, label, distance, run.clusters, run.distances());
    }

    private static float[] weightsByPosition(Dataset data, NeighbourIndex idx) {
        if (data.weights() == null) {
            return null;
        }
        float[] byOrdinal = new float[idx.n];
        int at = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            float[] w = data.weights(b);
            System.arraycopy(w, 0, byOrdinal, at, data.block(b).rows());
            at += data.block(b).rows();
        }
        float[] byPosition = new float[idx.n];
        for (int p = 0; p < idx.n; p++) {
            byPosition[p] = byOrdinal[idx.ordinal[p]];
        }
        return byPosition;
    }

    /** Back from index positions to the dataset's blocks. */
    private static Result result(Dataset data, NeighbourIndex idx, boolean[] core, int[] label, float[] distance,
                                 int clusters, long distances) {
        int[] position = new int[idx.n];
        for (int p = 0; p < idx.n; p++) {
            position[idx.ordinal[p]] = p;
        }
        int blocks = data.blockCount();
        int[][] labels = new int[blocks][];
        float[][] squared = new float[blocks][];
        boolean[][] cores = new boolean[blocks][];
        long noise = 0;
        long corePoints = 0;
        int at = 0;
        for (int b = 0; b < blocks; b++) {
            int rows = data.block(b).rows();
            labels[b] = new int[rows];
            squared[b] = new float[rows];
            cores[b] = new boolean[rows];
            for (int i = 0; i < rows; i++) {
                int p = position[at + i];
                labels[b][i] = label[p];
                squared[b][i] = distance[p];
                cores[b][i] = core[p];
                noise += label[p] < 0 ? 1 : 0;
                corePoints += core[p] ? 1 : 0;
            }
            at += rows;
        }
        return new Result(labels, squared, cores, clusters, noise, corePoints, idx.kind(), distances);
    }

    /** Which points of a group or of its candidates a pass looks at. */
    private enum Select {
        ALL, CORE, NON_CORE;

        boolean test(boolean[] core, int p) {
            return switch (this) {
                case ALL -> true;
                case CORE -> core[p];
                case NON_CORE -> !core[p];
            };
        }
    }

    /**
     * What a pass does with one block of squared distances, {@code s.out[a * nb + b]} between index
     * positions {@code s.rows[a]} and {@code s.cols[b]}.
     */
    @FunctionalInterface
    private interface TileVisitor {
        void visit(Scratch s, int na, int nb);
    }

    /** One fit's index, kernels and per-thread scratch, and the three passes. */
    private static final class Run {

        private static final VarHandle PARENT = MethodHandles.arrayElementVarHandle(int[].class);

        private final NeighbourIndex idx;
        private final KMeansKernels kernels;
        private final double eps;
        private final float eps2;
        private final ThreadLocal<Scratch> scratch;
        /** Every thread's scratch, to add up their distance counts. */
        private final Queue<Scratch> scratches = new ConcurrentLinkedQueue<>();
        private int clusters;

        Run(NeighbourIndex idx, KMeansKernels kernels, double eps) {
            this.idx = idx;
            this.kernels = kernels;
            this.eps = eps;
            this.eps2 = (float) (eps * eps);
            this.scratch = ThreadLocal.withInitial(() -> {
                Scratch s = new Scratch(idx.d);
                scratches.add(s);
                return s;
            });
        }

        /** Pass 1: each point's neighbour weight within eps, itself included. */
        boolean[] coreFlags(BlockExecutor executor, float[] weights, int minSamples) {
            double[] neighbours = new double[idx.n];
            scan(executor, null, Select.ALL, Select.ALL, false, (s, na, nb) -> {
                int[] rows = s.rows;
                int[] cols = s.cols;
                float[] dist = s.out;
                for (int a = 0; a < na; a++) {
                    double sum = 0;
                    int base = a * nb;
                    for (int b = 0; b < nb; b++) {
                        if (dist[base + b] <= eps2) {
                            sum += weights == null ? 1.0 : weights[cols[b]];
                        }
                    }
                    neighbours[rows[a]] += sum;
                }
            });
            boolean[] core = new boolean[idx.n];
            for (int p = 0; p < idx.n; p++) {
                core[p] = neighbours[p] >= minSamples;
            }
            return core;
        }

        /**
         * Pass 2: connected components of core points (union-find, each root the smallest position of
         * its component, whatever the order of the unions), then cluster numbers in the input order of
         * each component's first core point. Returns each core point's cluster, {@code -1} elsewhere.
         */
        int[] connectCores(BlockExecutor executor, boolean[] core) {
            int n = idx.n;
            int[] parent = new int[n];
            Arrays.setAll(parent, p -> p);
            scan(executor, core, Select.CORE, Select.CORE, true, (s, na, nb) -> {
                // Roots are looked up once per column and row, not per pair: a cached root is still an
                // ancestor after later unions, so equal cached roots prove the pair is already joined.
                int[] roots = s.roots;
                for (int b = 0; b < nb; b++) {
                    roots[b] = find(parent, s.cols[b]);
                }
                for (int a = 0; a < na; a++) {
                    int root = find(parent, s.rows[a]);
                    int base = a * nb;
                    for (int b = 0; b < nb; b++) {
                        if (s.out[base + b] <= eps2 && roots[b] != root) {
                            union(parent, root, roots[b]);
                            root = find(parent, root);
                            roots[b] = root;
                        }
                    }
                }
            });
            int[] firstOrdinal = new int[n];
            Arrays.fill(firstOrdinal, Integer.MAX_VALUE);
            int components = 0;
            for (int p = 0; p < n; p++) {
                if (core[p]) {
                    int root = find(parent, p);
                    if (root == p) {
                        components++;
                    }
                    firstOrdinal[root] = Math.min(firstOrdinal[root], idx.ordinal[p]);
                }
            }
            long[] order = new long[components];
            int c = 0;
            for (int p = 0; p < n; p++) {
                if (core[p] && parent[p] == p) {
                    order[c++] = ((long) firstOrdinal[p] << 32) | p;
                }
            }
            Arrays.sort(order);
            int[] clusterOfRoot = firstOrdinal;
            for (int r = 0; r < components; r++) {
                clusterOfRoot[(int) order[r]] = r;
            }
            int[] label = new int[n];
            for (int p = 0; p < n; p++) {
                label[p] = core[p] ? clusterOfRoot[find(parent, p)] : -1;
            }
            clusters = components;
            return label;
        }

        /**
         * Pass 3: each non-core point joins the lowest cluster among its core neighbours (a border
         * point) or stays noise. Returns every point's squared distance to the nearest core point of
         * its cluster: 0 for core points, NaN for noise. {@code label} is completed in place.
         */
        float[] attachBorders(BlockExecutor executor, boolean[] core, int[] label) {
            float[] distance = new float[idx.n];
            for (int p = 0; p < idx.n; p++) {
                distance[p] = core[p] ? 0f : Float.NaN;
            }
            scan(executor, core, Select.NON_CORE, Select.CORE, false, (s, na, nb) -> {
                int[] rows = s.rows;
                int[] cols = s.cols;
                float[] dist = s.out;
                for (int a = 0; a < na; a++) {
                    int p = rows[a];
                    int best = label[p] < 0 ? Integer.MAX_VALUE : label[p];
                    float bestDistance = best == Integer.MAX_VALUE ? Float.POSITIVE_INFINITY : distance[p];
                    int base = a * nb;
                    for (int b = 0; b < nb; b++) {
                        float dd = dist[base + b];
                        if (dd <= eps2) {
                            // Only non-core rows are written in this pass, so a core point's label is final.
                            int cluster = label[cols[b]];
                            if (cluster < best || (cluster == best && dd < bestDistance)) {
                                best = cluster;
                                bestDistance = dd;
                            }
                        }
                    }
                    if (best != Integer.MAX_VALUE) {
                        label[p] = best;
                        distance[p] = bestDistance;
                    }
                }
            });
            return distance;
        }

        private static int find(int[] parent, int p) {
            while (true) {
                int up = (int) PARENT.getOpaque(parent, p);
                if (up == p) {
                    return p;
                }
                int grand = (int) PARENT.getOpaque(parent, up);
                if (grand != up) {
                    // Path halving: a plain write of an ancestor is safe under concurrent unions,
                    // because only roots are ever relinked and links are never undone.
                    PARENT.setOpaque(parent, p, grand);
                }
                p = grand;
            }
        }

        /** Links the larger root under the smaller, by compare-and-set, so every root is its component's minimum. */
        private static void union(int[] parent, int a, int b) {
            while (true) {
                a = find(parent, a);
                b = find(parent, b);
                if (a == b) {
                    return;
                }
                if (a > b) {
                    int t = a;
                    a = b;
                    b = t;
                }
                if (PARENT.compareAndSet(parent, b, b, a)) {
                    return;
                }
            }
        }

        /**
         * For every group, in parallel: distances from its points chosen by {@code rows} to the points
         * chosen by {@code cols} of every candidate group (only groups numbered at least its own when
         * {@code upperOnly}, for symmetric passes), in tiles of {@value #TILE_ROWS} × {@value #TILE_COLS}.
         * A group's rows are written by one task only, so visitors may update per-row state freely.
         */
        private void scan(BlockExecutor executor, boolean[] core, Select rows, Select cols, boolean upperOnly,
                          TileVisitor visitor) {
            executor.forEachBlock(idx.groups(), g -> {
                Scratch s = scratch.get();
                int to = idx.groupStart[g + 1];
                boolean haveCandidates = false;
                for (int p = idx.groupStart[g]; p < to; ) {
                    int na = 0;
                    for (; p < to && na < TILE_ROWS; p++) {
                        if (rows.test(core, p)) {
                            s.rows[na++] = p;
                        }
                    }
                    if (na == 0) {
                        continue;
                    }
                    if (!haveCandidates) {
                        s.candidates.clear();
                        idx.groupCandidates(g, eps, s.lo, s.hi, s.candidates);
                        haveCandidates = true;
                    }
                    idx.gather(s.rows, na, s.xa);
                    int nb = 0;
                    for (int c = 0; c < s.candidates.size(); c++) {
                        int other = s.candidates.get(c);
                        if (upperOnly && other < g) {
                            continue;
                        }
                        for (int q = idx.groupStart[other], end = idx.groupStart[other + 1]; q < end; q++) {
                            if (cols.test(core, q)) {
                                s.cols[nb++] = q;
                                if (nb == TILE_COLS) {
                                    tile(s, na, nb, visitor);
                                    nb = 0;
                                }
                            }
                        }
                    }
                    if (nb > 0) {
                        tile(s, na, nb, visitor);
                    }
                }
            });
        }

        long distances() {
            long total = 0;
            for (Scratch s : scratches) {
                total += s.distances;
            }
            return total;
        }

        private void tile(Scratch s, int na, int nb, TileVisitor visitor) {
            s.distances += (long) na * nb;
            idx.gather(s.cols, nb, s.xb);
            kernels.pairwiseSquaredDistances(s.xa, na, s.xb, nb, idx.d, s.out);
            visitor.visit(s, na, nb);
        }
    }

    /** One thread's buffers for a scan. */
    private static final class Scratch {
        final int[] rows = new int[TILE_ROWS];
        final int[] cols = new int[TILE_COLS];
        final int[] roots = new int[TILE_COLS];
        final float[] xa;
        final float[] xb;
        final float[] out = new float[TILE_ROWS * TILE_COLS];
        final float[] lo;
        final float[] hi;
        final IntBuffer candidates = new IntBuffer();
        long distances;

        Scratch(int d) {
            xa = new float[TILE_ROWS * d];
            xb = new float[TILE_COLS * d];
            lo = new float[d];
            hi = new float[d];
        }
    }
}
