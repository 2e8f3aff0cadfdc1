package dev.segmenta.engine.eval;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a segment looks like, the first thing an analyst reads: its size and share, and per feature,
 * in original units, the mean, median, minimum and maximum of its customers and the standardised
 * difference of its mean from the population's, {@code (mean_segment − mean_all) / sd_all} (Cohen's
 * d against the whole population), whose largest magnitudes name the features that most set the
 * segment apart.
 *
 * <p>{@link #of(Dataset, int[][], int, Scaling, Collection, boolean, BlockExecutor)} computes everything
 * from the customers. Statistics are taken on the scaled values and mapped back with the scaling, which
 * is affine and increasing, so means, medians, extremes and standardised differences are those of the
 * prepared values (up to float rounding of the scaled values). For a feature the model takes the log1p
 * of, the median and extremes go back through {@code expm1} exactly (it is increasing); the mean is that
 * of {@code ln(1 + x)} shown through {@code expm1}, a geometric mean (of {@code 1 + x}, less 1), and the
 * standardised difference is taken on the log scale the segments were found on. {@link #of(SegmentModel)}
 * has only the model: means from the centroids, the rest unknown (NaN).
 *
 * @param featureMedians          NaN where unknown; for an even count, the mean of the two middle values
 * @param standardisedDifferences NaN where unknown or where the feature is constant
 */
public record SegmentProfile(int segment, long size, double share, double[] featureMeans, double[] featureMedians,
                             double[] featureMins, double[] featureMaxs, double[] standardisedDifferences) {

    /** Features listed as most distinguishing per segment in the tables. */
    public static final int DISTINGUISHING = 3;

    /**
     * Profiles from the customers: one parallel pass for the moments and extremes (merged in block
     * order), then one gather per feature for the exact medians. Extra memory: {@code 4 · N} bytes.
     *
     * @param scaled  the customers in the scaled space of {@code scaling}
     * @param labels  segment of every customer, block by block; {@code -1} (DBSCAN's noise) is in no
     *                segment, but counts in the shares' total and the population statistics
     * @param log1p   the features the values hold {@code ln(1 + x)} of (the model's preparation)
     * @param medians whether to compute the medians (NaN otherwise), which costs a gather per feature
     */
    public static List<SegmentProfile> of(Dataset scaled, int[][] labels, int k, Scaling scaling,
                                          Collection<String> log1p, boolean medians, BlockExecutor executor) {
        int d = scaled.dimensions();
        Extremes[] partial = new Extremes[scaled.blockCount()];
        executor.forEachBlock(scaled.blockCount(), b -> partial[b] = Extremes.of(scaled.block(b), labels[b], k, d));
        Extremes all = Extremes.merge(partial, k, d);
        FeatureStats population = FeatureStats.of(scaled, executor);
        double[][] middle = medians ? medians(scaled, labels, all.counts, executor) : unknown(k, d);
        long total = scaled.rows();
        boolean[] logged = new boolean[d];
        for (int f = 0; f < d; f++) {
            logged[f] = log1p.contains(scaled.featureNames().get(f));
        }
        List<SegmentProfile> profiles = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            double[] mean = new double[d];
            double[] median = new double[d];
            double[] min = new double[d];
            double[] max = new double[d];
            double[] z = new double[d];
            long n = all.counts[j];
            for (int f = 0; f < d; f++) {
                double scaledMean = n == 0 ? Double.NaN : all.sums[j * d + f] / n;
                mean[f] = original(scaling, f, logged[f], scaledMean);
                median[f] = original(scaling, f, logged[f], middle[j][f]);
                min[f] = n == 0 ? Double.NaN : original(scaling, f, logged[f], all.min[j * d + f]);
                max[f] = n == 0 ? Double.NaN : original(scaling, f, logged[f], all.max[j * d + f]);
                double sd = Math.sqrt(population.variance()[f]);
                z[f] = sd > 0 ? (scaledMean - population.mean()[f]) / sd : Double.NaN;
            }
            profiles.add(new SegmentProfile(j, n, total == 0 ? 0 : (double) n / total, mean, median, min, max, z));
        }
        return profiles;
    }

    /**
     * A scaled value back in original units. Scaled values are floats, so the round trip is exact only to
     * about {@code 1e-7 · (|offset| + scale)}; what is within that of 0 is 0 (a minimum of exactly 0
     * would otherwise print as {@code -7e-10}). A log1p feature then goes back through {@code expm1}.
     */
    private static double original(Scaling scaling, int f, boolean logged, double scaledValue) {
        double v = scaling.invert(f, scaledValue);
        double resolution = 1e-6 * (Math.abs(scaling.offset()[f]) + Math.abs(scaling.scale()[f]));
        double prepared = Math.abs(v) < resolution ? 0 : v;
        return logged ? Math.expm1(prepared) : prepared;
    }

    /**
     * Profiles from the model alone: sizes from training and means from the centroids (a centroid is its
     * customers' mean in the scaled space). Standardised differences are known when the scaling is a
     * z-score (the scaled centroid is then the standardised difference of a population with mean 0).
     *
     * @throws IllegalArgumentException for a model with PCA, whose centroids are not in feature space
     */
    public static List<SegmentProfile> of(SegmentModel model) {
        if (model.pca() != null) {
            throw new IllegalArgumentException("a PCA model's centroids are components, not features; profile its customers");
        }
        long total = 0;
        for (long s : model.segmentSizes()) {
            total += s;
        }
        int d = model.dimensions();
        double[] unknown = new double[d];
        Arrays.fill(unknown, Double.NaN);
        boolean zscore = Scaling.ZSCORE.equals(model.scaling().method());
        List<SegmentProfile> profiles = new ArrayList<>(model.k());
        for (int j = 0; j < model.k(); j++) {
            double[] means = new double[d];
            double[] z = new double[d];
            for (int f = 0; f < d; f++) {
                boolean logged = model.preparation().log1p().contains(model.features().get(f));
                means[f] = original(model.scaling(), f, logged, model.centroids()[j][f]);
                z[f] = zscore ? model.centroids()[j][f] : Double.NaN;
            }
            long size = model.segmentSizes()[j];
            profiles.add(new SegmentProfile(j, size, total == 0 ? 0 : (double) size / total, means, unknown.clone(),
                    unknown.clone(), unknown.clone(), z));
        }
        return profiles;
    }

    /** Indices of the {@code count} features with the largest |standardised difference|, largest first. */
    public int[] distinguishing(int count) {
        Integer[] order = new Integer[standardisedDifferences.length];
        for (int f = 0; f < order.length; f++) {
            order[f] = f;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer f) -> {
            double z = standardisedDifferences[f];
            return Double.isNaN(z) ? -1 : Math.abs(z);
        }).reversed());
        return Arrays.stream(order).limit(count).filter(f -> !Double.isNaN(standardisedDifferences[f]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The features that most set the segment apart, as {@code name +1.9 sd, ...}; empty when unknown. */
    public String distinguishingText(List<String> features) {
        StringBuilder text = new StringBuilder();
        for (int f : distinguishing(DISTINGUISHING)) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(features.get(f)).append(String.format(Locale.ROOT, " %+.2f sd", standardisedDifferences[f]));
        }
        return text.toString();
    }

    /**
     * A fixed-width table: one row per segment with its size, share and per-feature means, then the
     * features that most distinguish each segment.
     */
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
        if (profiles.stream().anyMatch(p -> p.distinguishing(1).length > 0)) {
            out.append("most distinguishing features (segment mean minus population mean, in population standard deviations):\n");
            for (SegmentProfile p : profiles) {
                out.append(String.format(Locale.ROOT, "%-8d %s%n", p.segment(), p.distinguishingText(features)));
            }
        }
        return out.toString();
    }

    /** One row per segment and feature: mean, median, minimum, maximum and standardised difference. */
    public static String detail(List<SegmentProfile> profiles, List<String> features) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s %-24s %14s %14s %14s %14s %9s%n",
                "segment", "feature", "mean", "median", "min", "max", "std.diff"));
        for (SegmentProfile p : profiles) {
            for (int f = 0; f < features.size(); f++) {
                out.append(String.format(Locale.ROOT, "%-8d %-24s %14s %14s %14s %14s %9s%n", p.segment(),
                        features.get(f).length() <= 24 ? features.get(f) : features.get(f).substring(0, 23) + "…",
                        format(p.featureMeans()[f]), format(p.featureMedians()[f]), format(p.featureMins()[f]),
                        format(p.featureMaxs()[f]), Double.isNaN(p.standardisedDifferences()[f]) ? "-"
                                : String.format(Locale.ROOT, "%+.3f", p.standardisedDifferences()[f])));
            }
        }
        return out.toString();
    }

    private static String abbreviate(String name) {
        return name.length() <= 14 ? name : name.substring(0, 13) + "…";
    }

    /** A value in about 5 significant digits, as plain decimals where that stays short. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e7 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.3f", v);
    }

    private static double[][] unknown(int k, int d) {
        double[][] values = new double[k][d];
        for (double[] row : values) {
            Arrays.fill(row, Double.NaN);
        }
        return values;
    }

    /**
     * Exact medians per segment and feature. Feature by feature, the values are gathered grouped by
     * segment into one array (a counting sort on the labels) and each segment's median is selected in
     * place, the segments in parallel.
     */
    private static double[][] medians(Dataset data, int[][] labels, long[] counts, BlockExecutor executor) {
        int k = counts.length;
        int d = data.dimensions();
        int[] start = new int[k + 1];
        for (int j = 0; j < k; j++) {
            start[j + 1] = Math.toIntExact(start[j] + counts[j]);
        }
        float[] grouped = new float[start[k]];
        double[][] medians = new double[k][d];
        for (int f = 0; f < d; f++) {
            int[] fill = Arrays.copyOf(start, k);
            for (int b = 0; b < data.blockCount(); b++) {
                FeatureBatch block = data.block(b);
                float[] x = block.values();
                int base = f * block.rows();
                int[] blockLabels = labels[b];
                for (int i = 0; i < block.rows(); i++) {
                    if (blockLabels[i] >= 0) {
                        grouped[fill[blockLabels[i]]++] = x[base + i];
                    }
                }
            }
            int feature = f;
            executor.forEachBlock(k, j -> medians[j][feature] = Selection.median(grouped, start[j], start[j + 1]));
        }
        return medians;
    }

    /** Per segment: count, sums, minimum and maximum per feature (scaled space). */
    private record Extremes(long[] counts, double[] sums, float[] min, float[] max) {

        static Extremes of(FeatureBatch block, int[] labels, int k, int d) {
            int n = block.rows();
            float[] x = block.values();
            Extremes e = empty(k, d);
            for (int i = 0; i < n; i++) {
                if (labels[i] >= 0) {
                    e.counts[labels[i]]++;
                }
            }
            for (int f = 0; f < d; f++) {
                int base = f * n;
                for (int i = 0; i < n; i++) {
                    if (labels[i] < 0) {
                        continue;
                    }
                    int t = labels[i] * d + f;
                    float v = x[base + i];
                    e.sums[t] += v;
                    e.min[t] = Math.min(e.min[t], v);
                    e.max[t] = Math.max(e.max[t], v);
                }
            }
            return e;
        }

        static Extremes empty(int k, int d) {
            float[] min = new float[k * d];
            float[] max = new float[k * d];
            Arrays.fill(min, Float.POSITIVE_INFINITY);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            return new Extremes(new long[k], new double[k * d], min, max);
        }

        static Extremes merge(Extremes[] blocks, int k, int d) {
            Extremes all = empty(k, d);
            for (Extremes e : blocks) {
                for (int j = 0; j < k; j++) {
                    all.counts[j] += e.counts[j];
                }
                for (int t = 0; t < k * d; t++) {
                    all.sums[t] += e.sums[t];
                    all.min[t] = Math.min(all.min[t], e.min[t]);
                    all.max[t] = Math.max(all.max[t], e.max[t]);
                }
            }
            return all;
        }
    }
}
