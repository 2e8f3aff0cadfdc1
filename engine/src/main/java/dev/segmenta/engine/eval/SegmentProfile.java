package dev.segmenta.engine.eval;

import dev.segmenta.engine.model.SegmentModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Size, share and per-feature mean (in original units) of each segment, the first thing an analyst
 * reads. Means come from the centroids: a centroid is its customers' mean in the scaled space, and
 * the scaling is affine, so mapping it back gives the mean in original units. For a feature the model
 * takes the log1p of, that is the mean of {@code ln(1 + x)}, shown through {@code expm1}: a geometric
 * mean (of {@code 1 + x}, less 1), in original units.
 */
public record SegmentProfile(int segment, long size, double share, double[] featureMeans) {

    public static List<SegmentProfile> of(SegmentModel model) {
        long total = 0;
        for (long s : model.segmentSizes()) {
            total += s;
        }
        List<SegmentProfile> profiles = new ArrayList<>(model.k());
        for (int j = 0; j < model.k(); j++) {
            double[] means = new double[model.dimensions()];
            for (int f = 0; f < means.length; f++) {
                means[f] = model.scaling().invert(f, model.centroids()[j][f]);
                if (model.preparation().log1p().contains(model.features().get(f))) {
                    means[f] = Math.expm1(means[f]);
                }
            }
            long size = model.segmentSizes()[j];
            profiles.add(new SegmentProfile(j, size, total == 0 ? 0 : (double) size / total, means));
        }
        return profiles;
    }

    /** A fixed-width table: one row per segment, one column per feature. */
    public static String table(List<SegmentProfile> profiles, List<String> features) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s %12s %7s", "segment", "customers", "share"));
        for (String f : features) {
            out.append(String.format(Locale.ROOT, " %14s", abbreviate(f)));
        }
        out.append('\n');
        for (SegmentProfile p : profiles) {
            out.append(String.format(Locale.ROOT, "%-8d %12d %6.1f%%", p.segment(), p.size(), 100 * p.share()));
            for (double m : p.featureMeans()) {
                out.append(String.format(Locale.ROOT, " %14s", format(m)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String abbreviate(String name) {
        return name.length() <= 14 ? name : name.substring(0, 13) + "…";
    }

    private static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e7 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.3f", v);
    }
}
