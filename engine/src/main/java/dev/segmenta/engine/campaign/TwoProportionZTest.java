package dev.segmenta.engine.campaign;

/**
 * The two-sided two-proportion z-test of equal conversion rates, with the pooled rate under the null
 * hypothesis, {@code z = (p_t − p_c) / sqrt(p̄ (1 − p̄) (1/n_t + 1/n_c))}: statsmodels'
 * {@code proportions_ztest} (default {@code prop_var=False}). The absolute lift's interval is Wald's,
 * from the unpooled variances ({@code confint_proportions_2indep(method="wald")}); the relative one is
 * {@link RelativeLift}'s.
 */
public final class TwoProportionZTest {

    private TwoProportionZTest() {
    }

    /** Compares {@code testConversions} of {@code testN} with {@code controlConversions} of {@code controlN}; both n ≥ 1. */
    public static Comparison compare(long testConversions, long testN, long controlConversions, long controlN) {
        if (testN < 1 || controlN < 1) {
            throw new IllegalArgumentException("each arm needs a customer: n_t=" + testN + ", n_c=" + controlN);
        }
        double pt = (double) testConversions / testN;
        double pc = (double) controlConversions / controlN;
        Interval absolute = Interval.symmetric(pt - pc, Math.sqrt(pt * (1 - pt) / testN + pc * (1 - pc) / controlN), Lift.Z_95);
        Interval relative = RelativeLift.interval(pt, pt * (1 - pt) / testN, pc, pc * (1 - pc) / controlN, Lift.Z_95);
        double pooled = (double) (testConversions + controlConversions) / (testN + controlN);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / testN + 1.0 / controlN));
        if (se == 0) {
            // Nobody converted, or everybody did, in both arms: the rates agree exactly and no test can tell them apart.
            return new Comparison(pt, pc, absolute, relative, 0, Double.POSITIVE_INFINITY, 1, null);
        }
        double z = (pt - pc) / se;
        return new Comparison(pt, pc, absolute, relative, z, Double.POSITIVE_INFINITY, Normal.twoSided(z), null);
    }

    /**
     * The z-test of two independent rates given the variance of each ({@code p(1 − p) / n}, or a
     * weighted sum of them for the segment-weighted overall rates), unpooled: with no single rate under
     * the null hypothesis across strata, the estimate's own variance is the one to use.
     */
    static Comparison compareUnpooled(double testRate, double testVariance, double controlRate, double controlVariance) {
        double se = Math.sqrt(testVariance + controlVariance);
        Interval absolute = Interval.symmetric(testRate - controlRate, se, Lift.Z_95);
        Interval relative = RelativeLift.interval(testRate, testVariance, controlRate, controlVariance, Lift.Z_95);
        if (se == 0) {
            return new Comparison(testRate, controlRate, absolute, relative, 0, Double.POSITIVE_INFINITY,
                    testRate == controlRate ? 1 : 0, null);
        }
        double z = (testRate - controlRate) / se;
        return new Comparison(testRate, controlRate, absolute, relative, z, Double.POSITIVE_INFINITY, Normal.twoSided(z), null);
    }
}
