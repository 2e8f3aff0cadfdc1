package dev.segmenta.engine.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The lift of a campaign, per segment and overall, for one metric: each segment's test group against
 * its control group ({@link TwoProportionZTest} for conversion, {@link WelchTTest} for revenue), the
 * segments' p-values adjusted together ({@link Correction}), and the customers per group a campaign
 * would need to detect {@code minLift} (a relative lift) at 80% power and alpha 0.05 ({@link SampleSize}).
 *
 * <p>The overall row is post-stratified: each group's mean is the average of the segments' means weighted
 * by the segment's share of the customers, with variance {@code Σ w² s² / n} (Satterthwaite's degrees of
 * freedom for revenue, a z statistic for conversion). Pooling every customer instead would mix the lift
 * with the segments' mix whenever the control share differs by segment, and could even reverse it
 * (Simpson's paradox). Segments lacking a group (or, for revenue, two customers in one) are left out of
 * it and named. It is one planned test, so it is not adjusted.
 */
public final class Lift {

    public static final double ALPHA = 0.05;
    public static final double POWER = 0.8;
    static final double Z_95 = Normal.quantile(0.975);

    public enum Metric {
        CONVERSION("conversion rate"),
        REVENUE("mean revenue");

        private final String title;

        Metric(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /**
     * One line of the report.
     *
     * @param segment          the segment, or {@code null} for the overall row
     * @param testCustomers    customers with outcomes in the test group
     * @param controlCustomers in the control group
     * @param adjustedP        the corrected p-value (the p-value itself for the overall row); NaN untested
     * @param significant      adjusted p below {@link #ALPHA}
     * @param sampleSizePerArm customers per group to detect {@code minLift}, not rounded; NaN where the control gives no baseline
     */
    public record Row(Integer segment, long testCustomers, long controlCustomers, Comparison comparison, double adjustedP,
                      boolean significant, double sampleSizePerArm) {
    }

    /** @param leftOutOfOverall segments the overall row could not include (a group without customers) */
    public record Report(Metric metric, Correction correction, double minLift, List<Row> segments, Row overall,
                         List<Integer> leftOutOfOverall) {
    }

    private Lift() {
    }

    /** @param outcomes by segment: the test group's outcomes at {@link Arm#ordinal()} 0, control's at 1 */
    public static Report analyse(Metric metric, SortedMap<Integer, ArmOutcomes[]> outcomes, Correction correction,
                                 double minLift) {
        List<Integer> segments = new ArrayList<>(outcomes.keySet());
        Comparison[] comparisons = new Comparison[segments.size()];
        double[] p = new double[segments.size()];
        for (int s = 0; s < segments.size(); s++) {
            ArmOutcomes[] arms = outcomes.get(segments.get(s));
            comparisons[s] = compare(metric, arms[Arm.TEST.ordinal()], arms[Arm.CONTROL.ordinal()]);
            p[s] = comparisons[s].pValue();
        }
        double[] adjusted = correction.adjust(p);
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < segments.size(); s++) {
            ArmOutcomes[] arms = outcomes.get(segments.get(s));
            ArmOutcomes control = arms[Arm.CONTROL.ordinal()];
            rows.add(new Row(segments.get(s), arms[Arm.TEST.ordinal()].customers(), control.customers(), comparisons[s],
                    adjusted[s], adjusted[s] < ALPHA, sampleSize(metric, control.customers() == 0 ? Double.NaN
                            : comparisons[s].controlMean(), control.revenue(), minLift)));
        }
        List<Integer> leftOut = new ArrayList<>();
        Row overall = overall(metric, outcomes, minLift, leftOut);
        return new Report(metric, correction, minLift, List.copyOf(rows), overall, List.copyOf(leftOut));
    }

    private static Comparison compare(Metric metric, ArmOutcomes test, ArmOutcomes control) {
        if (test.customers() == 0 || control.customers() == 0) {
            return Comparison.undefined(mean(metric, test), mean(metric, control),
                    "no customers with outcomes in the " + (test.customers() == 0 ? "test" : "control") + " group");
        }
        return switch (metric) {
            case CONVERSION -> TwoProportionZTest.compare(test.conversions(), test.customers(), control.conversions(),
                    control.customers());
            case REVENUE -> WelchTTest.compare(test.revenue(), control.revenue());
        };
    }

    private static double mean(Metric metric, ArmOutcomes arm) {
        if (arm.customers() == 0) {
            return Double.NaN;
        }
        return metric == Metric.CONVERSION ? (double) arm.conversions() / arm.customers() : arm.revenue().mean();
    }

    /** The variance of one customer's value: p(1 − p) for conversion (as Wald's interval has it), s² for revenue. */
    private static double spread(Metric metric, ArmOutcomes arm) {
        double mean = mean(metric, arm);
        return metric == Metric.CONVERSION ? mean * (1 - mean) : arm.revenue().variance();
    }

    private static double sampleSize(Metric metric, double controlMean, Moments controlRevenue, double minLift) {
        return switch (metric) {
            case CONVERSION -> SampleSize.conversion(controlMean, minLift, ALPHA, POWER);
            case REVENUE -> SampleSize.mean(controlMean, Math.sqrt(controlRevenue.variance()), minLift, ALPHA, POWER);
        };
    }

    private static Row overall(Metric metric, SortedMap<Integer, ArmOutcomes[]> outcomes, double minLift,
                               List<Integer> leftOut) {
        int minimum = metric == Metric.REVENUE ? 2 : 1;
        long customers = 0;
        for (Map.Entry<Integer, ArmOutcomes[]> segment : outcomes.entrySet()) {
            ArmOutcomes[] arms = segment.getValue();
            if (arms[0].customers() < minimum || arms[1].customers() < minimum) {
                leftOut.add(segment.getKey());
            } else {
                customers += arms[0].customers() + arms[1].customers();
            }
        }
        ArmOutcomes[] total = {new ArmOutcomes(), new ArmOutcomes()};
        double[] means = new double[2];
        double[] variances = new double[2];
        double dfDenominator = 0;
        for (Map.Entry<Integer, ArmOutcomes[]> segment : outcomes.entrySet()) {
            if (leftOut.contains(segment.getKey())) {
                continue;
            }
            ArmOutcomes[] arms = segment.getValue();
            double w = (double) (arms[0].customers() + arms[1].customers()) / customers;
            for (int a = 0; a < 2; a++) {
                total[a].merge(arms[a]);
                means[a] += w * mean(metric, arms[a]);
                double v = w * w * spread(metric, arms[a]) / arms[a].customers();
                variances[a] += v;
                dfDenominator += arms[a].customers() > 1 ? v * v / (arms[a].customers() - 1) : 0;
            }
        }
        if (customers == 0) {
            return new Row(null, 0, 0, Comparison.undefined(Double.NaN, Double.NaN,
                    "no segment has customers with outcomes in both groups"), Double.NaN, false, Double.NaN);
        }
        double test = means[Arm.TEST.ordinal()];
        double control = means[Arm.CONTROL.ordinal()];
        double vt = variances[Arm.TEST.ordinal()];
        double vc = variances[Arm.CONTROL.ordinal()];
        Comparison comparison = switch (metric) {
            case CONVERSION -> TwoProportionZTest.compareUnpooled(test, vt, control, vc);
            case REVENUE -> WelchTTest.compare(test, vt, control, vc, (vt + vc) * (vt + vc) / dfDenominator);
        };
        return new Row(null, total[0].customers(), total[1].customers(), comparison, comparison.pValue(),
                comparison.pValue() < ALPHA, sampleSize(metric, control, total[1].revenue(), minLift));
    }
}
