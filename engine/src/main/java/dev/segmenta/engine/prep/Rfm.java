package dev.segmenta.engine.prep;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.CustomerIndex;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.IsoTimestamps;
import dev.segmenta.io.TransactionBatch;
import dev.segmenta.io.TransactionSource;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Recency, frequency and monetary value per customer from a transaction log, the classic features
 * of direct marketing: days since the last purchase (relative to a reference date), number of
 * purchases, and their total and mean amount.
 *
 * <p>The log is streamed once, in file order, in any order of transactions. Each customer's state
 * lives in primitive arrays indexed by a {@link CustomerIndex}: the day of the last purchase (4
 * bytes), the purchase count (4), the total amount (8); 16 bytes per customer, 24 while the arrays
 * grow, plus the index's 16–28 bytes per numeric id. So 10M customers need about 0.5 GB, whatever the
 * number of transactions. Sums are added in file order, so the result is reproducible.
 *
 * <p>The reference date ({@code as-of}) is a UTC date; only transactions before it (before its
 * 00:00 UTC) count, later ones are counted as ignored, and recency is the number of days from the
 * last purchase's date to it, so at least 1. Without one, it is the day after the last transaction
 * in the log, so every transaction counts.
 */
@Reference(authors = "J. R. Bult, T. Wansbeek",
        title = "Optimal selection for direct mail",
        booktitle = "Marketing Science 14(4)",
        year = 1995,
        url = "https://doi.org/10.1287/mksc.14.4.378")
public final class Rfm {

    private final CustomerIndex index;
    private final int[] lastDay;
    private final int[] count;
    private final double[] total;
    private final long asOfDay;
    private final long transactions;
    private final long ignored;

    private Rfm(CustomerIndex index, int[] lastDay, int[] count, double[] total, long asOfDay, long transactions,
                long ignored) {
        this.index = index;
        this.lastDay = lastDay;
        this.count = count;
        this.total = total;
        this.asOfDay = asOfDay;
        this.transactions = transactions;
        this.ignored = ignored;
    }

    /**
     * Reads {@code source} to its end.
     *
     * @param asOfDay  the reference date as days since 1970-01-01, or {@code null} for the day after the last transaction
     * @param progress told the running transaction count after each block
     * @throws BadInputException when no transaction is before the reference date
     */
    public static Rfm compute(TransactionSource source, Long asOfDay, LongConsumer progress) {
        CustomerIndex index = new CustomerIndex(source.idType());
        int[] lastDay = new int[1024];
        int[] count = new int[1024];
        double[] total = new double[1024];
        long cutoff = asOfDay == null ? Long.MAX_VALUE : asOfDay * IsoTimestamps.MICROS_PER_DAY;
        long latest = Long.MIN_VALUE;
        long read = 0;
        long ignored = 0;
        for (TransactionBatch batch = source.next(); batch != null; batch = source.next()) {
            IdColumn ids = batch.ids();
            long[] times = batch.timestamps();
            double[] amounts = batch.amounts();
            for (int i = 0; i < batch.rows(); i++) {
                long time = times[i];
                if (time >= cutoff) {
                    ignored++;
                    continue;
                }
                int day = dayOf(source, batch, i, time);
                int before = index.size();
                int c = index.add(ids, i);
                if (c == before) {
                    if (c == lastDay.length) {
                        int capacity = c + (c >> 1);
                        lastDay = Arrays.copyOf(lastDay, capacity);
                        count = Arrays.copyOf(count, capacity);
                        total = Arrays.copyOf(total, capacity);
                    }
                    lastDay[c] = day;
                } else {
                    lastDay[c] = Math.max(lastDay[c], day);
                }
                if (++count[c] == Integer.MAX_VALUE) {
                    throw new BadInputException(source.file() + ": customer " + ids.text(i)
                            + " has over 2^31 transactions; aggregate them first");
                }
                total[c] += amounts[i];
                latest = Math.max(latest, time);
            }
            read += batch.rows();
            progress.accept(read);
        }
        if (index.size() == 0) {
            throw new BadInputException(source.file() + ": all " + read + " transactions are on or after the --as-of date "
                    + IsoTimestamps.dateText(asOfDay) + "; choose a later date");
        }
        long reference = asOfDay != null ? asOfDay : Math.floorDiv(latest, IsoTimestamps.MICROS_PER_DAY) + 1;
        return new Rfm(index, lastDay, count, total, reference, read - ignored, ignored);
    }

    /** Days since the epoch as an int: dates from 5.8 million years BC to AD. */
    private static int dayOf(TransactionSource source, TransactionBatch batch, int i, long micros) {
        long day = Math.floorDiv(micros, IsoTimestamps.MICROS_PER_DAY);
        if (day < -2_000_000 || day > 2_000_000) {
            throw new BadInputException(source.file() + ": row " + (batch.firstRow() + i + 1)
                    + ": the purchase time is " + day + " days from 1970; check the timestamp column's unit");
        }
        return (int) day;
    }

    /** Customers, in the order of their first transaction in the log. */
    public int customers() {
        return index.size();
    }

    /** The reference date, as days since 1970-01-01 (UTC). */
    public long asOfDay() {
        return asOfDay;
    }

    /** Transactions that counted. */
    public long transactions() {
        return transactions;
    }

    /** Transactions on or after the reference date, left out. */
    public long ignored() {
        return ignored;
    }

    /** Customers {@code [from, from + n)}: ids and their four features. */
    public Block block(int from, int n) {
        int[] recency = new int[n];
        int[] frequency = Arrays.copyOfRange(count, from, from + n);
        double[] sum = Arrays.copyOfRange(total, from, from + n);
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            recency[i] = (int) (asOfDay - lastDay[from + i]);
            mean[i] = sum[i] / frequency[i];
        }
        return new Block(index.ids(from, n), recency, frequency, sum, mean);
    }

    /**
     * RFM features of consecutive customers.
     *
     * @param recencyDays   days from the last purchase's date to the reference date (at least 1)
     * @param frequency     purchases
     * @param monetaryTotal their total amount
     * @param monetaryMean  their mean amount
     */
    public record Block(IdColumn ids, int[] recencyDays, int[] frequency, double[] monetaryTotal, double[] monetaryMean) {
        public int rows() {
            return recencyDays.length;
        }
    }
}
