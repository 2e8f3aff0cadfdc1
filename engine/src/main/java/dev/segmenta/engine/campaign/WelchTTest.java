package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * Welch's two-sided t-test of equal means without assuming equal variances, with the
 * Welch–Satterthwaite degrees of freedom {@code ν = (v_t + v_c)² / (v_t² / (n_t − 1) + v_c² / (n_c − 1))},
 * {@code v = s² / n}: scipy's {@code ttest_ind(equal_var=False)}. The absolute lift's interval uses the
 * same t quantile (statsmodels' {@code CompareMeans.tconfint_diff(usevar="unequal")}); the relative one
 * is {@link RelativeLift}'s.
 */
@Reference(authors = "B. L. Welch",
        title = "The generalization of 'Student's' problem when several different population variances are involved",
        booktitle = "Biometrika 34(1-2)",
        year = 1947,
        url = "https://doi.org/10.1093/biomet/34.1-2.28")
public final class WelchTTest {

    private WelchTTest() {
    }

    /** Compares two arms' revenue; each needs at least two customers for a variance. */
    public static Comparison compare(Moments test, Moments control) {
        if (test.n() < 2 || control.n() < 2) {
            return Comparison.undefined(test.mean(), control.mean(), "needs at least 2 customers with outcomes in each group");
        }
        double vt = test.variance() / test.n();
        double vc = control.variance() / control.n();
        double df = (vt + vc) * (vt + vc) / (vt * vt / (test.n() - 1) + vc * vc / (control.n() - 1));
        return compare(test.mean(), vt, control.mean(), vc, df);
    }

    /**
     * The test of a difference of two independent means given the variance of each mean and the
     * degrees of freedom; also serves the segment-weighted overall comparison.
     */
    static Comparison compare(double testMean, double testVariance, double controlMean, double controlVariance, double df) {
        double se = Math.sqrt(testVariance + controlVariance);
        if (!(se > 0)) {
            return Comparison.undefined(testMean, controlMean, "revenue has no spread in either group");
        }
        double t = (testMean - controlMean) / se;
        Interval absolute = Interval.symmetric(testMean - controlMean, se, StudentT.quantile(0.975, df));
        Interval relative = RelativeLift.interval(testMean, testVariance, controlMean, controlVariance, Lift.Z_95);
        return new Comparison(testMean, controlMean, absolute, relative, t, df, StudentT.twoSided(t, df), null);
    }
}
