package dev.segmenta.engine.prep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;

import java.util.List;
import java.util.Locale;

/**
 * Per-feature affine scaling {@code x' = (x - offset) / scale}, fitted on the training data, stored
 * in the model and applied unchanged to every later batch (prediction), so new customers land in
 * the same space as the centroids.
 *
 * @param method {@code none}, {@code zscore} (mean 0, standard deviation 1) or {@code minmax} (range [0, 1])
 */
public record Scaling(String method, double[] offset, double[] scale) {

    public static final String NONE = "none";
    public static final String ZSCORE = "zscore";
    public static final String MINMAX = "minmax";

    /** Below this total squared spread, float32 squared distances lose every digit (float's normal minimum is 1.2e-38). */
    private static final double MIN_SQUARED_SPREAD = 1e-30;

    public static Scaling fit(String method, FeatureStats stats) {
        int d = stats.mean().length;
        double[] offset = new double[d];
        double[] scale = new double[d];
        for (int f = 0; f < d; f++) {
            switch (method.toLowerCase(Locale.ROOT)) {
                case NONE -> {
                    offset[f] = 0;
                    scale[f] = 1;
                }
                case ZSCORE -> {
                    offset[f] = stats.mean()[f];
                    scale[f] = nonZero(Math.sqrt(stats.variance()[f]));
                }
                case MINMAX -> {
                    offset[f] = stats.min()[f];
                    scale[f] = nonZero(stats.max()[f] - stats.min()[f]);
                }
                default -> throw new IllegalArgumentException(
                        "unknown scaling '" + method + "'; use none, zscore or minmax");
            }
        }
        return new Scaling(method.toLowerCase(Locale.ROOT), offset, scale);
    }

    /** A constant column has no spread to divide by: it is centred and left at scale 1 (it then adds nothing). */
    private static double nonZero(double spread) {
        return spread > 0 && Double.isFinite(spread) ? spread : 1;
    }

    @JsonIgnore
    public boolean isIdentity() {
        return NONE.equals(method);
    }

    /** Scales a block in place. */
    public void apply(FeatureBatch block) {
        if (isIdentity()) {
            return;
        }
        int n = block.rows();
        float[] x = block.values();
        for (int f = 0; f < offset.length; f++) {
            double o = offset[f];
            double s = scale[f];
            for (int i = f * n, end = i + n; i < end; i++) {
                x[i] = (float) ((x[i] - o) / s);
            }
        }
    }

    /**
     * The largest magnitude a scaled value (or centroid coordinate) may have in {@code d} dimensions:
     * beyond it, a squared distance between two such values could exceed float32's range
     * (3.4e38), and every distance would compare as +Inf. About 3.3e18 for 8 features.
     */
    public static double magnitudeLimit(int d) {
        return Math.sqrt(Float.MAX_VALUE / d) / 2;
    }

    /**
     * Checks that the training data's distances are representable in float32 once scaled. Only
     * {@code none} can fail: z-scores and min-max values are bounded by construction. Magnitudes
     * around 1e30 (or spreads around 1e-30) are fine under scaling; unscaled, their squared
     * distances would overflow to +Inf (or underflow to 0, making every customer look the same).
     *
     * @throws BadInputException naming the widest (or the only) column, with the fix
     */
    public void checkDistances(FeatureStats stats, List<String> names) {
        double limit = magnitudeLimit(scale.length);
        double total = 0;
        int widest = 0;
        for (int f = 0; f < scale.length; f++) {
            double range = (stats.max()[f] - stats.min()[f]) / scale[f];
            double magnitude = Math.max(Math.abs(stats.max()[f] - offset[f]), Math.abs(stats.min()[f] - offset[f])) / scale[f];
            if (magnitude > limit) {
                throw tooLarge(stats, names, f);
            }
            if (range > (stats.max()[widest] - stats.min()[widest]) / scale[widest]) {
                widest = f;
            }
            total += range * range;
        }
        if (total > Float.MAX_VALUE / 4) {
            throw tooLarge(stats, names, widest);
        }
        if (total > 0 && total < MIN_SQUARED_SPREAD) {
            throw new BadInputException("every column spans less than 1e-15, e.g. " + span(stats, names, widest)
                    + ": squared distances underflow float32 with --scale " + method
                    + "; use --scale zscore or minmax, or rescale the columns");
        }
    }

    private BadInputException tooLarge(FeatureStats stats, List<String> names, int f) {
        return new BadInputException(span(stats, names, f) + " is too large for float32 squared distances with --scale "
                + method + " (they overflow beyond about 1.8e19); use --scale zscore or minmax, or rescale the column");
    }

    private static String span(FeatureStats stats, List<String> names, int f) {
        return "column '" + names.get(f) + "' (from " + (float) stats.min()[f] + " to " + (float) stats.max()[f] + ")";
    }

    /**
     * Checks a block scaled for scoring: a value beyond {@link #magnitudeLimit} (say 1e30 where the
     * training data spanned hundreds) cannot be given a distance and is almost surely an error in the data.
     *
     * @throws BadInputException naming the row and column (the caller adds the file)
     */
    public static void checkScaled(FeatureBatch block, List<String> names) {
        int n = block.rows();
        double limit = magnitudeLimit(block.features());
        float[] x = block.values();
        for (int f = 0; f < block.features(); f++) {
            for (int i = f * n, end = i + n; i < end; i++) {
                if (!(Math.abs(x[i]) <= limit)) {
                    throw new BadInputException("row " + (block.firstRow() + i - f * n + 1) + ", column '" + names.get(f)
                            + "': the value is too far from the training data to score (" + x[i] + " after scaling, "
                            + "the limit is " + (float) limit + "); check the value or refit with it in the training data");
                }
            }
        }
    }

    /** The mean per-feature variance the data of {@code stats} has after this scaling. */
    public double scaledMeanVariance(FeatureStats stats) {
        double sum = 0;
        for (int f = 0; f < scale.length; f++) {
            sum += stats.variance()[f] / (scale[f] * scale[f]);
        }
        return scale.length == 0 ? 0 : sum / scale.length;
    }

    /** Back to original units, for reporting centroids. */
    public double invert(int feature, double value) {
        return value * scale[feature] + offset[feature];
    }
}
