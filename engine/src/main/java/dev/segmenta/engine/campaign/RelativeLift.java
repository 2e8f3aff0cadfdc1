package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * The 95% interval of a ratio of two independent means, {@code test / control − 1}, by the delta method
 * on the log scale: {@code ln(m_t / m_c) ± z · sqrt(v_t / m_t² + v_c / m_c²)}, where {@code v} is the
 * variance of each mean. For two proportions ({@code v = p(1 − p) / n}) this is Katz's interval for
 * the risk ratio, statsmodels' {@code confint_proportions_2indep(compare="ratio", method="log")}; the same
 * formula serves mean revenue and the segment-weighted overall means. The log scale keeps the interval
 * inside (−1, ∞), as a ratio of positive means must be.
 */
@Reference(authors = "D. Katz, J. Baptista, S. P. Azen, M. C. Pike",
        title = "Obtaining confidence intervals for the risk ratio in cohort studies",
        booktitle = "Biometrics 34(3)",
        year = 1978,
        url = "https://doi.org/10.2307/2530610")
public final class RelativeLift {

    private RelativeLift() {
    }

    /**
     * @param testMean        mean of the test arm
     * @param testVariance    variance of that mean (not of the values): {@code s² / n}
     * @param controlMean     mean of the control arm
     * @param controlVariance variance of that mean
     * @param z               the normal quantile of the interval, 1.96 for 95%
     * @return NaN throughout where a mean is not positive (no ratio to take the log of)
     */
    public static Interval interval(double testMean, double testVariance, double controlMean, double controlVariance, double z) {
        if (!(testMean > 0 && controlMean > 0)) {
            double estimate = controlMean > 0 ? testMean / controlMean - 1 : Double.NaN;
            return new Interval(estimate, Double.NaN, Double.NaN);
        }
        double log = Math.log(testMean / controlMean);
        double se = Math.sqrt(testVariance / (testMean * testMean) + controlVariance / (controlMean * controlMean));
        return new Interval(Math.expm1(log), Math.expm1(log - z * se), Math.expm1(log + z * se));
    }
}
