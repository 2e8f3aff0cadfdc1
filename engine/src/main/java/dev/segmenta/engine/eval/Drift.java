package dev.segmenta.engine.eval;

import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;

import java.util.Arrays;
import java.util.List;

/**
 * Whether customers have moved since a model was fitted: the segment shares and each feature's
 * distribution of a "before" and an "after" population, compared by {@link JensenShannon}
 * divergence. Features are binned in the model's space (prepared and scaled; scaling is affine, so
 * this is the same as binning the prepared values) into {@code bins} equal-width bins spanning the
 * before population's range, plus one bin below and one above it, so after-customers beyond the old
 * range count as a shift. Re-clustering is advised when the largest divergence exceeds the threshold.
 */
public final class Drift {

    /** Default threshold on the largest divergence, in bits. */
    public static final double DEFAULT_THRESHOLD = 0.1;
    public static final int DEFAULT_BINS = 20;
    /**
     * The most bins per feature: beyond it, bins hold too few customers of a typical file for their
     * shares to mean anything, and each population's counters ({@code bins + 2} per feature) would grow
     * past anything useful (at {@code Integer.MAX_VALUE} they no longer fit an array at all).
     */
    public static final int MAX_BINS = 10_000;

    private Drift() {
    }

    /** Per feature, the smallest and largest scaled value of {@code source}: the bins' span. */
    public static double[][] ranges(FeatureSource source, Scaling scaling) {
        int d = source.featureNames().size();
        double[] min = new double[d];
        double[] max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (FeatureBatch block = source.next(); block != null; block = source.next()) {
            scaling.apply(block);
            int n = block.rows();
            float[] x = block.values();
            for (int f = 0; f < d; f++) {
                for (int i = f * n; i < f * n + n; i++) {
                    min[f] = Math.min(min[f], x[i]);
                    max[f] = Math.max(max[f], x[i]);
                }
            }
        }
        return new double[][] {min, max};
    }

    /** One population's segment counts, feature histograms and feature sums, built block by block. */
    public static final class Population {

        private final int d;
        private final int bins;
        private final double[] min;
        private final double[] max;
        private final double[] width;
        final long[] segments;
        final long[][] histograms;
        final double[] sums;
        long customers;

        /**
         * @param ranges {@link #ranges} of the before population
         * @param bins   from 1 to {@link #MAX_BINS}
         */
        public Population(int k, double[][] ranges, int bins) {
            if (bins < 1 || bins > MAX_BINS) {
                throw new IllegalArgumentException("bins must be between 1 and " + MAX_BINS + ", got " + bins);
            }
            this.d = ranges[0].length;
            this.bins = bins;
            this.min = ranges[0].clone();
            this.max = ranges[1].clone();
            this.width = new double[d];
            for (int f = 0; f < d; f++) {
                width[f] = (ranges[1][f] - ranges[0][f]) / bins;
            }
            this.segments = new long[k];
            this.histograms = new long[d][bins + 2];
            this.sums = new double[d];
        }

        /** Adds a scaled block and its customers' segments. */
        public void add(FeatureBatch block, int[] labels) {
            int n = block.rows();
            float[] x = block.values();
            for (int i = 0; i < n; i++) {
                segments[labels[i]]++;
            }
            for (int f = 0; f < d; f++) {
                long[] h = histograms[f];
                double sum = 0;
                for (int i = f * n; i < f * n + n; i++) {
                    double v = x[i];
                    sum += v;
                    h[bin(f, v)]++;
                }
                sums[f] += sum;
            }
            customers += n;
        }

        /** 0 below the range, {@code bins + 1} above it, else 1 + its equal-width bin (the maximum in the last). */
        private int bin(int f, double v) {
            if (v < min[f]) {
                return 0;
            }
            if (v > max[f]) {
                return bins + 1;
            }
            return width[f] == 0 ? 1 : 1 + Math.min(bins - 1, (int) ((v - min[f]) / width[f]));
        }

        public long customers() {
            return customers;
        }

        public double share(int segment) {
            return customers == 0 ? 0 : (double) segments[segment] / customers;
        }
    }

    /**
     * The comparison.
     *
     * @param shareDivergence   JSD of the segment shares
     * @param featureDivergence JSD per feature
     * @param beforeMeans       per feature, the before population's mean in prepared units
     * @param largest           the largest divergence, and {@code largestOf} what it is of
     */
    public record Report(double shareDivergence, double[] featureDivergence, double[] beforeMeans, double[] afterMeans,
                         double largest, String largestOf, double threshold, boolean reclusterAdvised) { }

    public static Report compare(Population before, Population after, List<String> features, Scaling scaling,
                                 double threshold) {
        int d = features.size();
        double share = JensenShannon.divergence(before.segments, after.segments);
        double[] divergence = new double[d];
        double[] beforeMeans = new double[d];
        double[] afterMeans = new double[d];
        double largest = share;
        String largestOf = "segment shares";
        for (int f = 0; f < d; f++) {
            divergence[f] = JensenShannon.divergence(before.histograms[f], after.histograms[f]);
            beforeMeans[f] = scaling.invert(f, before.sums[f] / before.customers);
            afterMeans[f] = scaling.invert(f, after.sums[f] / after.customers);
            if (divergence[f] > largest) {
                largest = divergence[f];
                largestOf = "feature " + features.get(f);
            }
        }
        return new Report(share, divergence, beforeMeans, afterMeans, largest, largestOf, threshold, largest > threshold);
    }
}
