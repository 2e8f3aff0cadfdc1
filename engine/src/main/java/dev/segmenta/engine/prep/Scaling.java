package dev.segmenta.engine.prep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.io.FeatureBatch;

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
