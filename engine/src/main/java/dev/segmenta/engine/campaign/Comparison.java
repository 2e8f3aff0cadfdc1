package dev.segmenta.engine.campaign;

/**
 * Test against control for one metric: each arm's mean (a conversion rate, or mean revenue), the
 * absolute lift {@code test − control} and the relative lift {@code test / control − 1} with 95%
 * intervals, and the test of no difference.
 *
 * @param testMean      the test arm's rate or mean
 * @param controlMean   the control arm's
 * @param absolute      {@code test − control}
 * @param relative      {@code test / control − 1}; NaN where the control mean is not positive
 * @param statistic     z (conversion, stratified overall) or t (Welch)
 * @param df            the t statistic's degrees of freedom; infinite for a z statistic
 * @param pValue        two-sided; NaN where the test is not defined (see {@code undefinedBecause})
 * @param undefinedBecause why there is no test, or {@code null}
 */
public record Comparison(double testMean, double controlMean, Interval absolute, Interval relative, double statistic,
                         double df, double pValue, String undefinedBecause) {

    static Comparison undefined(double testMean, double controlMean, String because) {
        return new Comparison(testMean, controlMean, Interval.UNDEFINED, Interval.UNDEFINED, Double.NaN, Double.NaN,
                Double.NaN, because);
    }

    public boolean tested() {
        return !Double.isNaN(pValue);
    }
}
