package dev.segmenta.engine.prep;

import dev.segmenta.engine.data.CustomerIndex;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A customers file with its {@link Preparation}: every {@link #open()} streams it prepared, as the
 * model sees it, so in-memory loading, the passes of an out-of-core fit, {@code predict} and
 * {@code drift} all prepare rows the same way.
 *
 * <p>Fitting or applying a preparation may need passes over the file before that: one to decide
 * the de-duplication (which also sums the means and counts pass 1 of the medians), and one more
 * for exact medians. Memory: the id table while de-duplicating ({@link CustomerIndex}; 8 more bytes
 * per customer for {@code last}), then one bit per row; 512 KB–1 MB per feature for medians.
 */
public final class PreparedInput {

    private final Path file;
    private final ReadOptions options;
    private final Preparation preparation;
    private final RowMask keep;
    private final String weightColumn;
    private PreparedSource lastOpened;

    private PreparedInput(Path file, ReadOptions options, Preparation preparation, RowMask keep, String weightColumn) {
        this.file = file;
        this.options = options;
        this.preparation = preparation;
        this.keep = keep;
        this.weightColumn = weightColumn;
    }

    /**
     * Fits {@code spec} on {@code file}: the fill values (over every row with the value present, before
     * de-duplication, as the order impute → dedup says) and which rows de-duplication keeps.
     *
     * @param options      the columns to read; with a weight column, it is the last feature and is not prepared
     * @param weightColumn the weight column's name, or {@code null}
     * @param rowsRead     told the running row count during the passes, for progress
     */
    public static PreparedInput fit(Path file, ReadOptions options, String weightColumn, PreparationSpec spec,
                                    LongConsumer rowsRead) {
        Preparation asked = new Preparation(spec.imputation().label(), spec.nanIsMissing(), null, spec.dedup().label(),
                spec.log1p(), null);
        ReadOptions reading = options.withMissing(asked.readMissing());
        boolean means = spec.imputation() == Imputation.MEAN;
        boolean medians = spec.imputation() == Imputation.MEDIAN;
        if (!means && !medians && spec.dedup() == Deduplication.NONE) {
            List<String> features = checkedFeatures(file, reading, weightColumn, spec.log1p());
            double[] fill = null;
            if (spec.imputation() == Imputation.CONSTANT) {
                fill = new double[features.size()];
                Arrays.fill(fill, spec.fillValue());
            }
            return new PreparedInput(file, reading, withFill(asked, fill), null, weightColumn);
        }
        Pass pass = new Pass(file, reading, weightColumn, spec.imputation(), spec.dedup(), means, medians, rowsRead);
        List<String> features = pass.features;
        checkLog1p(file, features, spec.log1p());
        double[] fill = null;
        if (means || medians) {
            if (medians) {
                pass.medianLowerBits(rowsRead);
            }
            fill = new double[features.size()];
            for (int f = 0; f < fill.length; f++) {
                long present = medians ? pass.median.count(f) : pass.present[f];
                if (present == 0) {
                    throw new BadInputException(file + ": column '" + features.get(f) + "' has no values to take the "
                            + spec.imputation().label() + " of; leave it out of --features or use --impute constant");
                }
                fill[f] = medians ? pass.median.median(f) : pass.sums[f] / present;
            }
        }
        return new PreparedInput(file, reading, withFill(asked, fill), pass.keep(), weightColumn);
    }

    /**
     * Applies a fitted preparation to another file (scoring, drift): the model's fill values, and the
     * de-duplication decided anew for this file's ids.
     */
    public static PreparedInput apply(Path file, ReadOptions options, Preparation preparation, LongConsumer rowsRead) {
        ReadOptions reading = options.withMissing(preparation.readMissing());
        RowMask keep = null;
        if (preparation.deduplication() != Deduplication.NONE) {
            keep = new Pass(file, reading, null, preparation.imputation(), preparation.deduplication(), false, false,
                    rowsRead).keep();
        }
        return new PreparedInput(file, reading, preparation, keep, null);
    }

    private static Preparation withFill(Preparation p, double[] fill) {
        return new Preparation(p.impute(), p.nanIsMissing(), fill, p.dedup(), p.log1p(), null);
    }

    public Path file() {
        return file;
    }

    /** The preparation, without training counts (see {@link #counts()}). */
    public Preparation preparation() {
        return preparation;
    }

    /** The file, prepared, from its first row; a raw reader when the preparation changes nothing. */
    public FeatureSource open() {
        FeatureSource raw = FeatureSource.open(file, options);
        if (preparation.isIdentity() && weightColumn == null) {
            lastOpened = null;
            return raw;
        }
        try {
            lastOpened = new PreparedSource(raw, preparation, keep, weightColumn, options.blockRows());
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
        return lastOpened;
    }

    /** What the last {@link #open()}ed pass did, once read to its end; {@code null} for an unprepared read. */
    public PreparationCounts counts() {
        return lastOpened == null ? null : lastOpened.counts();
    }

    private static List<String> checkedFeatures(Path file, ReadOptions options, String weightColumn, List<String> log1p) {
        List<String> names;
        try (FeatureSource source = FeatureSource.open(file, options)) {
            names = source.featureNames();
        }
        List<String> features = weightColumn == null ? names : names.subList(0, names.size() - 1);
        checkLog1p(file, features, log1p);
        return features;
    }

    private static void checkLog1p(Path file, List<String> features, List<String> log1p) {
        for (String name : log1p) {
            if (!features.contains(name)) {
                throw new BadInputException(file + ": --log1p names '" + name + "', which is not a feature; features: "
                        + String.join(", ", features));
            }
        }
    }

    /** The pass that decides de-duplication and gathers the means and the medians' first counts. */
    private static final class Pass {

        final List<String> features;
        final double[] sums;
        final long[] present;
        final StreamedMedian median;
        private final Path file;
        private final ReadOptions options;
        private final int d;
        private final RowMask keep;
        private long[] lastRow;

        Pass(Path file, ReadOptions options, String weightColumn, Imputation imputation, Deduplication dedup,
             boolean means, boolean medians, LongConsumer rowsRead) {
            this.file = file;
            this.options = options;
            boolean drop = imputation == Imputation.DROP;
            try (FeatureSource source = FeatureSource.open(file, options)) {
                List<String> names = source.featureNames();
                features = weightColumn == null ? names : names.subList(0, names.size() - 1);
                d = features.size();
                sums = new double[d];
                present = new long[d];
                median = medians ? new StreamedMedian(d) : null;
                CustomerIndex index = null;
                if (dedup != Deduplication.NONE) {
                    if (!source.hasIdColumn()) {
                        throw new BadInputException(file + ": has no id column '" + options.idColumn()
                                + "' to de-duplicate on; name it with --id-column, or drop --dedup");
                    }
                    index = new CustomerIndex(source.idType());
                    keep = new RowMask();
                    lastRow = dedup == Deduplication.LAST ? new long[1024] : null;
                } else {
                    keep = null;
                }
                long rows = 0;
                for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                    int n = batch.rows();
                    float[] x = batch.values();
                    for (int f = 0; f < d; f++) {
                        if (means) {
                            addPresent(f, x, f * n, n);
                        }
                        if (medians) {
                            median.countUpper(f, x, f * n, n);
                        }
                    }
                    if (index != null) {
                        deduplicate(batch, index, drop);
                    }
                    rows += n;
                    rowsRead.accept(rows);
                }
                if (lastRow != null) {
                    for (int i = 0; i < index.size(); i++) {
                        keep.set(lastRow[i]);
                    }
                }
            }
        }

        private void addPresent(int f, float[] x, int from, int n) {
            double sum = 0;
            long count = 0;
            for (int i = from; i < from + n; i++) {
                float v = x[i];
                if (v == v) {
                    sum += v;
                    count++;
                }
            }
            sums[f] += sum;
            present[f] += count;
        }

        /** Rows dropped for a missing value take no part: the kept row of a customer is a complete one. */
        private void deduplicate(FeatureBatch batch, CustomerIndex index, boolean drop) {
            int n = batch.rows();
            float[] x = batch.values();
            for (int i = 0; i < n; i++) {
                if (drop && hasMissing(x, n, i)) {
                    continue;
                }
                long ordinal = batch.firstRow() + i;
                int before = index.size();
                int customer = index.add(batch.ids(), i);
                if (lastRow != null) {
                    if (customer == lastRow.length) {
                        lastRow = Arrays.copyOf(lastRow, lastRow.length + (lastRow.length >> 1));
                    }
                    lastRow[customer] = ordinal;
                } else if (index.size() > before) {
                    keep.set(ordinal);
                }
            }
        }

        private boolean hasMissing(float[] x, int n, int i) {
            for (int f = 0; f < d; f++) {
                if (Float.isNaN(x[f * n + i])) {
                    return true;
                }
            }
            return false;
        }

        void medianLowerBits(LongConsumer rowsRead) {
            median.finishUpperPass();
            long rows = 0;
            try (FeatureSource source = FeatureSource.open(file, options)) {
                for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                    int n = batch.rows();
                    for (int f = 0; f < d; f++) {
                        median.countLower(f, batch.values(), f * n, n);
                    }
                    rows += n;
                    rowsRead.accept(rows);
                }
            }
        }

        RowMask keep() {
            return keep;
        }
    }
}
