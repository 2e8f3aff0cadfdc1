package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The silhouette of a segmentation (Rousseeuw 1987): for customer {@code i} with mean Euclidean
 * distance {@code a(i)} to the other members of its segment and {@code b(i)} to the members of the
 * nearest other segment, {@code s(i) = (b − a) / max(a, b)}, and 0 in a segment of one; the score is
 * the mean of {@code s(i)}, from −1 to 1, higher is better. Defined as scikit-learn's
 * {@code silhouette_score} with the Euclidean metric (not squared distances), over the non-empty segments.
 *
 * <p>{@code s(i)} is always exact: the distances from {@code i} to every customer are summed. What is
 * sampled, for large data, is which customers {@code i} are scored:
 * <ul>
 *   <li>{@link #exact}: every customer, {@code O(N²)} distance evaluations.</li>
 *   <li>{@link #estimate}: a sample of {@code m} customers stratified by segment with proportional
 *       allocation (at least 2 per segment where it has them), {@code O(m·N)} evaluations. The estimate
 *       {@code Σ_h W_h s̄_h} ({@code W_h = N_h / N}) is unbiased for the full score, and its standard error
 *       {@code sqrt(Σ_h W_h² (1 − m_h/N_h) s_h² / m_h)} gives a 95% interval of ±1.96 standard errors
 *       (Cochran, <i>Sampling Techniques</i>, 3rd ed., 1977, §5.3). Stratifying never widens the interval
 *       against simple random sampling with proportional allocation, and narrows it when segments differ
 *       in their mean silhouette, which they usually do.</li>
 * </ul>
 *
 * <p>Memory is {@code O(block)} whatever {@code N}: the customers are cut into chunks of
 * {@value #CHUNK_ROWS} rows, regrouped by segment in scratch buffers, and compared to the scored
 * customers in tiles with the kernels' blocked {@link KMeansKernels#pairwiseDistanceSums} (the pairwise
 * distance block with the roots summed in the same pass, so no distance matrix is stored); each chunk
 * adds its per-segment distance sums (in double) to a partial, and partials are merged in chunk order,
 * so the result does not depend on the thread count. Squared distances are evaluated in float as the
 * kernel contract says, their square roots summed in double.
 */
@Reference(authors = "P. J. Rousseeuw",
        title = "Silhouettes: a graphical aid to the interpretation and validation of cluster analysis",
        booktitle = "Journal of Computational and Applied Mathematics 20",
        year = 1987,
        url = "https://doi.org/10.1016/0377-0427(87)90125-7")
public final class Silhouette {

    /** Scored customers used by {@link #estimate} when no size is given; see docs/benchmarks.md for its time and interval. */
    public static final int DEFAULT_SAMPLE = 10_000;

    /** z of a two-sided 95% normal interval. */
    private static final double Z95 = 1.959963984540054;

    /** Rows of the customer chunks that are the unit of parallel work. */
    static final int CHUNK_ROWS = 4096;
    /** Customers of one segment compared per kernel call: a panel of 8 features is 32 KB, at home in L1/L2. */
    private static final int PANEL_ROWS = 1024;
    /** Scored customers per kernel call. */
    private static final int TILE = 64;

    /**
     * A silhouette score, exact or estimated.
     *
     * @param value              the score (the mean silhouette)
     * @param standardError      of {@code value}; 0 when exact
     * @param halfWidth95        half-width of the 95% interval, {@code 1.96 · standardError}
     * @param population         customers in the data
     * @param sampleSize         customers scored
     * @param segmentSizes       customers per segment
     * @param segmentSampleSizes scored customers per segment
     * @param segmentMeans       mean silhouette of each segment's scored customers (NaN if none)
     * @param values             every scored customer's {@code s(i)}, in data order
     * @param segments           and its segment
     */
    public record Estimate(double value, double standardError, double halfWidth95, long population, int sampleSize,
                           long[] segmentSizes, int[] segmentSampleSizes, double[] segmentMeans,
                           float[] values, int[] segments) {

        public boolean exact() {
            return sampleSize == population;
        }
    }

    private Silhouette() {
    }

    /** Scores every customer: {@code O(N²)} time, {@code O(block)} memory beyond the {@code N} results. */
    public static Estimate exact(Dataset data, int[][] labels, int k, KMeansKernels kernels, BlockExecutor executor) {
        long[] sizes = sizes(labels, k);
        requireValidLabelCount(sizes, data.rows());
        List<long[]> all = new ArrayList<>();
        for (int b = 0; b < data.blockCount(); b++) {
            for (int i = 0; i < data.block(b).rows(); i++) {
                all.add(new long[] {b, i});
            }
        }
        return score(data, labels, k, sizes, all, kernels, executor);
    }

    /**
     * Scores a stratified sample of {@code sampleSize} customers, or every customer when there are no more
     * than that; the same seed gives the same sample.
     */
    public static Estimate estimate(Dataset data, int[][] labels, int k, int sampleSize, long seed,
                                    KMeansKernels kernels, BlockExecutor executor) {
        if (sampleSize < 1) {
            throw new IllegalArgumentException("sample size must be at least 1, got " + sampleSize);
        }
        if (sampleSize >= data.rows()) {
            return exact(data, labels, k, kernels, executor);
        }
        long[] sizes = sizes(labels, k);
        requireValidLabelCount(sizes, data.rows());
        int[] allocation = allocate(sizes, sampleSize);
        SplittableRandom random = new SplittableRandom(seed);
        long[][] ranks = new long[k][];
        for (int j = 0; j < k; j++) {
            ranks[j] = Sampling.distinctSorted(allocation[j], sizes[j], random.split());
        }
        List<long[]> chosen = new ArrayList<>();
        long[] seen = new long[k];
        int[] next = new int[k];
        for (int b = 0; b < data.blockCount(); b++) {
            int[] blockLabels = labels[b];
            for (int i = 0; i < blockLabels.length; i++) {
                int j = blockLabels[i];
                if (next[j] < ranks[j].length && ranks[j][next[j]] == seen[j]) {
                    chosen.add(new long[] {b, i});
                    next[j]++;
                }
                seen[j]++;
            }
        }
        return score(data, labels, k, sizes, chosen, kernels, executor);
    }

    /**
     * Proportional allocation by largest remainders, raised to 2 per segment where the segment has
     * them (a stratum needs two values for its variance) and capped at the segment's size.
     */
    static int[] allocate(long[] sizes, int m) {
        long n = 0;
        for (long s : sizes) {
            n += s;
        }
        int k = sizes.length;
        int[] allocation = new int[k];
        double[] remainder = new double[k];
        int given = 0;
        for (int j = 0; j < k; j++) {
            double quota = (double) m * sizes[j] / n;
            allocation[j] = (int) Math.floor(quota);
            remainder[j] = quota - allocation[j];
            given += allocation[j];
        }
        while (given < m) {
            int best = -1;
            for (int j = 0; j < k; j++) {
                if (allocation[j] < sizes[j] && (best < 0 || remainder[j] > remainder[best])) {
                    best = j;
                }
            }
            allocation[best]++;
            remainder[best] = -1;
            given++;
        }
        for (int j = 0; j < k; j++) {
            allocation[j] = (int) Math.min(sizes[j], Math.max(allocation[j], Math.min(2, sizes[j])));
        }
        return allocation;
    }

    private static long[] sizes(int[][] labels, int k) {
        long[] sizes = new long[k];
        for (int[] block : labels) {
            for (int label : block) {
                sizes[label]++;
            }
        }
        return sizes;
    }

    private static void requireValidLabelCount(long[] sizes, long rows) {
        int nonEmpty = 0;
        for (long s : sizes) {
            if (s > 0) {
                nonEmpty++;
            }
        }
        if (nonEmpty < 2 || nonEmpty > rows - 1) {
            throw new IllegalArgumentException("the silhouette needs between 2 and " + (rows - 1)
                    + " non-empty segments, got " + nonEmpty);
        }
    }

    /** Distance sums from the chosen customers to every segment, then their silhouettes and the stratified estimate. */
    private static Estimate score(Dataset data, int[][] labels, int k, long[] sizes, List<long[]> chosen,
                                  KMeansKernels kernels, BlockExecutor executor) {
        int d = data.dimensions();
        int m = chosen.size();
        int tiles = (m + TILE - 1) / TILE;
        float[][] tileValues = new float[tiles][];
        int[] chosenLabels = new int[m];
        for (int t = 0; t < tiles; t++) {
            int from = t * TILE;
            int rows = Math.min(TILE, m - from);
            float[] x = new float[rows * d];
            for (int a = 0; a < rows; a++) {
                long[] at = chosen.get(from + a);
                FeatureBatch block = data.block((int) at[0]);
                int i = (int) at[1];
                for (int f = 0; f < d; f++) {
                    x[f * rows + a] = block.values()[f * block.rows() + i];
                }
                chosenLabels[from + a] = labels[(int) at[0]][i];
            }
            tileValues[t] = x;
        }
        double[] sums = distanceSums(data, labels, k, tileValues, m, kernels, executor);

        float[] values = new float[m];
        int[] sampled = new int[k];
        double[] mean = new double[k];
        double[] m2 = new double[k];
        for (int q = 0; q < m; q++) {
            int own = chosenLabels[q];
            double s = silhouette(sums, q, own, sizes);
            values[q] = (float) s;
            sampled[own]++;
            double delta = s - mean[own];
            mean[own] += delta / sampled[own];
            m2[own] += delta * (s - mean[own]);
        }
        long n = data.rows();
        double value = 0;
        double variance = 0;
        double[] segmentMeans = new double[k];
        for (int j = 0; j < k; j++) {
            segmentMeans[j] = sampled[j] == 0 ? Double.NaN : mean[j];
            if (sampled[j] == 0) {
                continue;
            }
            double weight = (double) sizes[j] / n;
            value += weight * mean[j];
            if (sampled[j] > 1) {
                double stratumVariance = m2[j] / (sampled[j] - 1);
                double unsampled = 1 - (double) sampled[j] / sizes[j];
                variance += weight * weight * unsampled * stratumVariance / sampled[j];
            }
        }
        double standardError = Math.sqrt(variance);
        return new Estimate(value, standardError, Z95 * standardError, n, m, sizes, sampled, segmentMeans,
                values, chosenLabels);
    }

    private static double silhouette(double[] sums, int q, int own, long[] sizes) {
        if (sizes[own] < 2) {
            return 0;
        }
        int k = sizes.length;
        double a = sums[q * k + own] / (sizes[own] - 1);
        double b = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (j != own && sizes[j] > 0) {
                b = Math.min(b, sums[q * k + j] / sizes[j]);
            }
        }
        double scale = Math.max(a, b);
        return scale > 0 ? (b - a) / scale : 0;
    }

    /**
     * {@code sums[q * k + j]}: Σ of Euclidean distances from scored customer {@code q} to the customers of
     * segment {@code j}. Chunks are processed a few at a time in parallel, each into its own partial,
     * and the partials are added in chunk order.
     */
    private static double[] distanceSums(Dataset data, int[][] labels, int k, float[][] tiles, int m,
                                         KMeansKernels kernels, BlockExecutor executor) {
        List<int[]> chunks = new ArrayList<>();
        for (int b = 0; b < data.blockCount(); b++) {
            for (int from = 0; from < data.block(b).rows(); from += CHUNK_ROWS) {
                chunks.add(new int[] {b, from, Math.min(data.block(b).rows(), from + CHUNK_ROWS)});
            }
        }
        int inFlight = 2 * executor.threads();
        double[][] partial = new double[inFlight][m * k];
        double[] total = new double[m * k];
        ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(data.dimensions()));
        for (int first = 0; first < chunks.size(); first += inFlight) {
            int group = first;
            int count = Math.min(inFlight, chunks.size() - first);
            executor.forEachBlock(count, slot -> {
                int[] chunk = chunks.get(group + slot);
                Arrays.fill(partial[slot], 0);
                scratch.get().add(data.block(chunk[0]), labels[chunk[0]], chunk[1], chunk[2], k, tiles, m,
                        kernels, partial[slot]);
            });
            for (int slot = 0; slot < count; slot++) {
                double[] p = partial[slot];
                for (int t = 0; t < total.length; t++) {
                    total[t] += p[t];
                }
            }
        }
        return total;
    }

    /** One thread's buffers: the chunk's order by segment, one panel of a segment's customers, the kernel's sums. */
    private static final class Scratch {

        private final int d;
        private final int[] order = new int[CHUNK_ROWS];
        private final float[] panel;
        private final double[] rowSums = new double[TILE];

        Scratch(int d) {
            this.d = d;
            this.panel = new float[PANEL_ROWS * d];
        }

        /** Adds the distances from every scored customer to rows {@code [from, to)} of {@code block}. */
        void add(FeatureBatch block, int[] labels, int from, int to, int k, float[][] tiles, int m,
                 KMeansKernels kernels, double[] sums) {
            int[] start = new int[k + 1];
            for (int i = from; i < to; i++) {
                start[labels[i] + 1]++;
            }
            for (int j = 0; j < k; j++) {
                start[j + 1] += start[j];
            }
            int[] fill = Arrays.copyOf(start, k);
            for (int i = from; i < to; i++) {
                order[fill[labels[i]]++] = i;
            }
            int n = block.rows();
            float[] x = block.values();
            for (int j = 0; j < k; j++) {
                for (int p = start[j]; p < start[j + 1]; p += PANEL_ROWS) {
                    int nb = Math.min(PANEL_ROWS, start[j + 1] - p);
                    for (int f = 0; f < d; f++) {
                        int src = f * n;
                        int dst = f * nb;
                        for (int r = 0; r < nb; r++) {
                            panel[dst + r] = x[src + order[p + r]];
                        }
                    }
                    for (int t = 0; t < tiles.length; t++) {
                        int na = Math.min(TILE, m - t * TILE);
                        Arrays.fill(rowSums, 0);
                        kernels.pairwiseDistanceSums(tiles[t], na, panel, nb, d, rowSums);
                        for (int a = 0; a < na; a++) {
                            sums[(t * TILE + a) * k + j] += rowSums[a];
                        }
                    }
                }
            }
        }
    }
}
