package dev.segmenta.engine.generate;

import dev.segmenta.io.ReadOptions;

import java.util.SplittableRandom;

/**
 * A synthetic retail transaction log with known customer segments, produced in chunks of
 * {@link #CHUNK_ROWS} transactions that depend only on the seed and the chunk number, so any size
 * streams in bounded memory and in parallel.
 *
 * <p>Each segment has a purchase rate (1 to 52 a year, on a log scale), a median basket (8 to 250, on
 * a log scale) with a lognormal spread (σ 0.3 to 0.7), and a lapse: how much of the period's end its
 * customers may have stopped buying for (0 to 80%). Each trait's range is cut into one stratum per
 * segment, and each segment draws from its own, so segments differ on every trait. Each customer (ids 1 to {@code customers}) is
 * drawn into a segment with unequal shares and gets an active window inside the period. A
 * transaction picks a customer with probability proportional to rate × window length (by rejection),
 * a time uniformly in the customer's window (whole seconds) and a lognormal amount (cents). So
 * frequency, recency and spend all differ by segment, and the RFM of the log recovers the segments.
 * Transactions come in no particular order.
 */
public final class TransactionGenerator {

    public static final int CHUNK_ROWS = ReadOptions.DEFAULT_BLOCK_ROWS;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final long transactions;
    private final long customers;
    private final int segments;
    private final long seed;
    private final long startSecond;
    private final long periodSeconds;
    private final double[] rate;
    private final double[] logMedian;
    private final double[] sigma;
    private final double[] lapse;
    private final double[] cumulativeShare;
    private final double maxRate;

    /**
     * @param firstDay the period's first day, as days since 1970-01-01
     * @param lastDay  its last day (inclusive)
     */
    public TransactionGenerator(long transactions, long customers, int segments, long seed, long firstDay, long lastDay) {
        if (transactions < 1 || customers < 1 || segments < 1 || lastDay < firstDay) {
            throw new IllegalArgumentException("transactions, customers and segments must be at least 1 and the period not empty");
        }
        this.transactions = transactions;
        this.customers = customers;
        this.segments = segments;
        this.seed = seed;
        this.startSecond = firstDay * 86_400L;
        this.periodSeconds = (lastDay - firstDay + 1) * 86_400L;
        SplittableRandom random = new SplittableRandom(seed);
        rate = new double[segments];
        logMedian = new double[segments];
        sigma = new double[segments];
        lapse = new double[segments];
        double[] rates = stratified(random, segments, Math.log(1), Math.log(52));
        double[] baskets = stratified(random, segments, Math.log(8), Math.log(250));
        double[] lapses = stratified(random, segments, 0, 0.8);
        double max = 0;
        for (int s = 0; s < segments; s++) {
            rate[s] = Math.exp(rates[s]);
            logMedian[s] = baskets[s];
            sigma[s] = random.nextDouble(0.3, 0.7);
            lapse[s] = lapses[s];
            max = Math.max(max, rate[s]);
        }
        maxRate = max;
        cumulativeShare = CustomerGenerator.drawShares(random, segments);
    }

    /**
     * One value per segment in {@code [lo, hi)}, each in its own {@code 1/count} of the range (in a
     * random order), so that no two segments are alike on any trait.
     */
    private static double[] stratified(SplittableRandom random, int count, double lo, double hi) {
        int[] order = new int[count];
        for (int s = 0; s < count; s++) {
            int t = random.nextInt(s + 1);
            order[s] = order[t];
            order[t] = s;
        }
        double[] values = new double[count];
        for (int s = 0; s < count; s++) {
            values[s] = lo + (order[s] + 0.2 + 0.6 * random.nextDouble()) / count * (hi - lo);
        }
        return values;
    }

    public int chunkCount() {
        return Math.toIntExact((transactions + CHUNK_ROWS - 1) / CHUNK_ROWS);
    }

    /** The segment customer {@code id} (1-based) was drawn into. */
    public int segmentOf(long id) {
        return CustomerGenerator.segmentOf(cumulativeShare, unit(id, 0));
    }

    /** Chunk {@code c}: up to {@link #CHUNK_ROWS} transactions. */
    public Chunk chunk(int c) {
        long first = (long) c * CHUNK_ROWS;
        int n = (int) Math.min(CHUNK_ROWS, transactions - first);
        SplittableRandom random = new SplittableRandom(seed ^ (0xD1B54A32D192ED03L * (c + 1)));
        long[] ids = new long[n];
        long[] times = new long[n];
        double[] amounts = new double[n];
        for (int i = 0; i < n; i++) {
            long id;
            int s;
            double windowStart;
            double windowLength;
            do {
                id = random.nextLong(customers) + 1;
                s = segmentOf(id);
                double end = 1 - lapse[s] * unit(id, 1);
                windowStart = end * 0.5 * unit(id, 2);
                windowLength = end - windowStart;
            } while (random.nextDouble() * maxRate >= rate[s] * windowLength);
            ids[i] = id;
            long second = startSecond + (long) ((windowStart + windowLength * random.nextDouble()) * periodSeconds);
            times[i] = second * MICROS_PER_SECOND;
            double amount = Math.exp(logMedian[s] + sigma[s] * random.nextGaussian());
            amounts[i] = Math.max(1, Math.round(amount * 100)) / 100.0;
        }
        return new Chunk(ids, times, amounts, n);
    }

    /** A uniform number in [0, 1) that depends only on the seed, the customer and {@code which}. */
    private double unit(long id, int which) {
        long h = seed + id * 0x9E3779B97F4A7C15L + which * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Transactions of one chunk.
     *
     * @param timestamps microseconds since 1970-01-01T00:00Z
     */
    public record Chunk(long[] ids, long[] timestamps, double[] amounts, int rows) { }
}
