package dev.segmenta.engine.generate;

import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.ReadOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic retail customers with known true segments, produced in chunks of {@link #CHUNK_ROWS} so
 * any number of customers can be streamed in bounded memory, and in parallel: chunk {@code c} depends
 * only on the seed and {@code c}, never on the chunks before it. The chunk size is fixed, so a seed
 * names the same customers however a caller groups the chunks.
 *
 * <p>Each segment has a profile: a mean per feature drawn inside the feature's plausible retail range,
 * and a spread of 4% of that range. Profiles are redrawn until every two segments differ by at least
 * 25% of the ranges (root mean square over the features), so the segments are recoverable once
 * features are put on a common scale. Segment sizes are unequal, as in real customer bases
 * (shares drawn from a Dirichlet(2) distribution). Values are clipped to the feature's range.
 */
public final class CustomerGenerator {

    /** Name, lower and upper bound of the retail-like features, in order; more are numbered. */
    private static final Object[][] FEATURES = {
            {"recency_days", 1.0, 365.0},
            {"orders_per_year", 1.0, 52.0},
            {"annual_spend", 20.0, 6000.0},
            {"avg_basket", 5.0, 300.0},
            {"tenure_months", 1.0, 120.0},
            {"discount_share", 0.0, 0.7},
            {"online_share", 0.0, 1.0},
            {"return_rate", 0.0, 0.35},
            {"category_breadth", 1.0, 25.0},
            {"support_contacts", 0.0, 12.0},
            {"newsletter_open_rate", 0.0, 1.0},
            {"store_visits_per_month", 0.0, 20.0},
    };
    /** Customers per chunk; also the engine's block size, so generated chunks serve as blocks directly. */
    public static final int CHUNK_ROWS = ReadOptions.DEFAULT_BLOCK_ROWS;
    /**
     * The most features: a chunk holds {@code CHUNK_ROWS} rows of them (65 MB of floats at this limit), and
     * a command holds a few chunks at once.
     */
    public static final int MAX_FEATURES = 1_000;
    /** The most segments: drawing well-separated profiles compares each with all before it, a quadratic cost. */
    public static final int MAX_SEGMENTS = 1_000;
    private static final double SPREAD = 0.04;
    private static final double MIN_SEPARATION = 0.25;

    private final long customers;
    private final int segments;
    private final long seed;
    private final List<String> names = new ArrayList<>();
    private final double[] lower;
    private final double[] upper;
    private final double[][] means;
    private final double[] cumulativeShare;

    public CustomerGenerator(long customers, int features, int segments, long seed) {
        if (customers < 1 || features < 1 || segments < 1 || features > MAX_FEATURES || segments > MAX_SEGMENTS) {
            throw new IllegalArgumentException("customers, features and segments must all be at least 1, features at most "
                    + MAX_FEATURES + " and segments at most " + MAX_SEGMENTS);
        }
        this.customers = customers;
        this.segments = segments;
        this.seed = seed;
        this.lower = new double[features];
        this.upper = new double[features];
        for (int f = 0; f < features; f++) {
            if (f < FEATURES.length) {
                names.add((String) FEATURES[f][0]);
                lower[f] = (double) FEATURES[f][1];
                upper[f] = (double) FEATURES[f][2];
            } else {
                names.add("feature_" + (f + 1));
                lower[f] = 0;
                upper[f] = 100;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        this.means = drawProfiles(random, features, segments);
        this.cumulativeShare = drawShares(random, segments);
    }

    private double[][] drawProfiles(SplittableRandom random, int features, int count) {
        double[][] unit = new double[count][features];
        for (int s = 0; s < count; s++) {
            for (int attempt = 0; ; attempt++) {
                for (int f = 0; f < features; f++) {
                    unit[s][f] = 0.1 + 0.8 * random.nextDouble();
                }
                if (attempt >= 1000 || separated(unit, s)) {
                    break;
                }
            }
        }
        double[][] result = new double[count][features];
        for (int s = 0; s < count; s++) {
            for (int f = 0; f < features; f++) {
                result[s][f] = lower[f] + unit[s][f] * (upper[f] - lower[f]);
            }
        }
        return result;
    }

    private static boolean separated(double[][] unit, int s) {
        int features = unit[s].length;
        for (int t = 0; t < s; t++) {
            double sum = 0;
            for (int f = 0; f < features; f++) {
                double diff = unit[s][f] - unit[t][f];
                sum += diff * diff;
            }
            if (Math.sqrt(sum / features) < MIN_SEPARATION) {
                return false;
            }
        }
        return true;
    }

    /** Cumulative segment shares from a Dirichlet(2) draw: unequal, as in real customer bases. */
    static double[] drawShares(SplittableRandom random, int count) {
        double[] shares = new double[count];
        double total = 0;
        for (int s = 0; s < count; s++) {
            shares[s] = -Math.log(1 - random.nextDouble()) - Math.log(1 - random.nextDouble());
            total += shares[s];
        }
        double running = 0;
        for (int s = 0; s < count; s++) {
            running += shares[s] / total;
            shares[s] = running;
        }
        shares[count - 1] = 1.0;
        return shares;
    }

    public List<String> featureNames() {
        return List.copyOf(names);
    }

    public long customers() {
        return customers;
    }

    public int chunkCount() {
        return Math.toIntExact((customers + CHUNK_ROWS - 1) / CHUNK_ROWS);
    }

    /** Chunk {@code b}: up to {@link #CHUNK_ROWS} customers' features, ids (1-based) and true segments. */
    public Block chunk(int b) {
        long first = (long) b * CHUNK_ROWS;
        int n = (int) Math.min(CHUNK_ROWS, customers - first);
        int d = names.size();
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (b + 1)));
        float[] values = new float[n * d];
        long[] ids = new long[n];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = first + i + 1;
            int s = segmentOf(random.nextDouble());
            truth[i] = s;
            for (int f = 0; f < d; f++) {
                double range = upper[f] - lower[f];
                double v = means[s][f] + SPREAD * range * random.nextGaussian();
                values[f * n + i] = (float) Math.min(upper[f], Math.max(lower[f], v));
            }
        }
        return new Block(new FeatureBatch(values, n, d, first, new IdColumn.Longs(ids, n)), truth);
    }

    private int segmentOf(double u) {
        return segmentOf(cumulativeShare, u);
    }

    /** The segment whose share of {@code [0, 1)} holds {@code u}. */
    static int segmentOf(double[] cumulativeShare, double u) {
        int last = cumulativeShare.length - 1;
        for (int s = 0; s < last; s++) {
            if (u < cumulativeShare[s]) {
                return s;
            }
        }
        return last;
    }

    /** Generated customers and the segment each was drawn from. */
    public record Block(FeatureBatch features, int[] trueSegments) { }
}
