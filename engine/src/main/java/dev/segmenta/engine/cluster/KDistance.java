package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The sorted k-distance curve, the parameter heuristic of DBSCAN's paper (Ester et al., 1996,
 * section 4.2): for a uniform sample of customers, the distance to the {@code minSamples}-th nearest
 * customer of the whole data set, the customer itself counted first (scikit-learn's convention, so
 * that a customer is a core point exactly when its k-distance is at most eps). Sorted ascending,
 * the curve is flat inside clusters and rises steeply into the sparse tail; eps is suggested at its
 * knee, found by Kneedle (Satopää et al., 2011): with both axes scaled to [0, 1], the point farthest
 * below the chord from the first point to the last.
 *
 * <p>Cost: a k-d tree over all customers ({@code 4·d} bytes each) and one k-nearest search per
 * sampled customer, in parallel. Weights are not used.
 */
@Reference(authors = "V. Satopää, J. Albrecht, D. Irwin, B. Raghavan",
        title = "Finding a \"kneedle\" in a haystack: detecting knee points in system behavior",
        booktitle = "31st International Conference on Distributed Computing Systems Workshops (ICDCSW)",
        year = 2011,
        url = "https://doi.org/10.1109/ICDCSW.2011.20")
public final class KDistance {

    /** Sampled customers by default: the curve's shape, and so its knee, is settled long before. */
    public static final int DEFAULT_SAMPLE = 100_000;

    private static final int QUERIES_PER_TASK = 256;

    private KDistance() {
    }

    /**
     * @param distances    the sampled customers' k-distances, ascending
     * @param knee         index of the knee in {@link #distances}
     * @param suggestedEps the k-distance at the knee
     */
    public record Curve(float[] distances, int minSamples, long rows, int knee, double suggestedEps) {

        /** Share of the sampled customers whose k-distance is at most the suggested eps: about the share of core points. */
        public double coreShare() {
            int at = knee;
            while (at + 1 < distances.length && distances[at + 1] <= distances[knee]) {
                at++;
            }
            return (at + 1) / (double) distances.length;
        }
    }

    public static Curve of(Dataset data, int minSamples, int sample, long seed, BlockExecutor executor) {
        long rows = data.rows();
        if (minSamples < 1) {
            throw new IllegalArgumentException("min samples must be at least 1, got " + minSamples);
        }
        if (sample < 1) {
            throw new IllegalArgumentException("the sample needs at least 1 customer, got " + sample);
        }
        if (minSamples > rows) {
            throw new BadInputException("only " + rows + " customers but --min-samples " + minSamples
                    + "; lower --min-samples to at most " + rows);
        }
        int d = data.dimensions();
        int[] chosen = sampleOrdinals(rows, sample, seed);
        float[] queries = gather(data, chosen);
        KdTree tree = new KdTree(NeighbourIndex.columnMajor(data), (int) rows, d, KdTree.DEFAULT_LEAF_SIZE);
        int q = chosen.length;
        float[] squared = new float[q];
        ThreadLocal<KdTree.KnnScratch> scratch = ThreadLocal.withInitial(KdTree.KnnScratch::new);
        executor.forEachBlock((q + QUERIES_PER_TASK - 1) / QUERIES_PER_TASK, t -> {
            float[] point = new float[d];
            KdTree.KnnScratch s = scratch.get();
            for (int i = t * QUERIES_PER_TASK, end = Math.min(q, i + QUERIES_PER_TASK); i < end; i++) {
                System.arraycopy(queries, i * d, point, 0, d);
                squared[i] = tree.kthNearestSquared(point, minSamples, s);
            }
        });
        float[] distances = new float[q];
        for (int i = 0; i < q; i++) {
            distances[i] = (float) Math.sqrt(squared[i]);
        }
        Arrays.sort(distances);
        int knee = knee(distances);
        double eps = distances[knee];
        if (!(eps > 0)) {
            throw new BadInputException("the sampled customers' " + minSamples + "-distances are 0 up to the knee "
                    + "(many duplicate customers); raise --min-samples above the number of duplicates");
        }
        return new Curve(distances, minSamples, rows, knee, eps);
    }

    /**
     * Kneedle's knee of an ascending curve: the index maximising {@code x - y} with {@code x} the
     * rank and {@code y} the value both scaled to [0, 1]; the first of equals. A straight or flat
     * curve has no knee and gives its last point.
     */
    static int knee(float[] ascending) {
        int last = ascending.length - 1;
        double low = ascending[0];
        double span = ascending[last] - low;
        if (last == 0 || !(span > 0)) {
            return last;
        }
        int best = last;
        double bestGap = 0;
        for (int i = 0; i <= last; i++) {
            double gap = (double) i / last - (ascending[i] - low) / span;
            if (gap > bestGap) {
                bestGap = gap;
                best = i;
            }
        }
        return best;
    }

    /** {@code sample} distinct ordinals below {@code rows}, ascending (Floyd's algorithm), or all of them. */
    private static int[] sampleOrdinals(long rows, int sample, long seed) {
        int n = (int) Math.min(rows, Integer.MAX_VALUE);
        if (sample >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        SplittableRandom random = new SplittableRandom(seed);
        Set<Integer> picked = new HashSet<>(sample * 2);
        for (int j = n - sample; j < n; j++) {
            int t = random.nextInt(j + 1);
            picked.add(picked.contains(t) ? j : t);
        }
        int[] out = picked.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    /** The customers at the given ascending ordinals, row-major. */
    private static float[] gather(Dataset data, int[] ordinals) {
        int d = data.dimensions();
        float[] out = new float[ordinals.length * d];
        long blockStart = 0;
        int b = 0;
        for (int i = 0; i < ordinals.length; i++) {
            while (ordinals[i] >= blockStart + data.block(b).rows()) {
                blockStart += data.block(b).rows();
                b++;
            }
            FeatureBatch block = data.block(b);
            int row = (int) (ordinals[i] - blockStart);
            for (int f = 0; f < d; f++) {
                out[i * d + f] = block.values()[f * block.rows() + row];
            }
        }
        return out;
    }
}
