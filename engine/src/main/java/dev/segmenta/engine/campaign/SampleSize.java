package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * Customers needed per arm for a two-sided test at level {@code alpha} to detect a relative lift with
 * the given power, by the normal approximation {@code n = 2 ((z_{1−α/2} + z_{power}) / d)²} for equal arms
 * (statsmodels' {@code NormalIndPower().solve_power(ratio=1)}, which also counts the far tail: a
 * difference below one customer in a thousand at 80% power). The effect size {@code d} is Cohen's
 * {@code h = 2 asin √p₂ − 2 asin √p₁} for a conversion rate ({@code proportion_effectsize}), and the lift
 * over the control's standard deviation for a mean, which plans the next campaign with the spread seen
 * in this one's control.
 */
@Reference(authors = "J. Cohen",
        title = "Statistical Power Analysis for the Behavioral Sciences, 2nd edition (chapter 6: differences between proportions)",
        booktitle = "Lawrence Erlbaum Associates",
        year = 1988,
        url = "https://doi.org/10.4324/9780203771587")
public final class SampleSize {

    private SampleSize() {
    }

    /**
     * Per arm, to tell {@code baseline · (1 + relativeLift)} from a {@code baseline} rate; NaN where the
     * lifted rate is not a rate (a baseline of 0, or above 1 once lifted).
     */
    public static double conversion(double baseline, double relativeLift, double alpha, double power) {
        double lifted = baseline * (1 + relativeLift);
        if (!(baseline > 0 && lifted > 0 && lifted <= 1) || relativeLift == 0) {
            return Double.NaN;
        }
        double h = 2 * Math.asin(Math.sqrt(lifted)) - 2 * Math.asin(Math.sqrt(baseline));
        return perArm(Math.abs(h), alpha, power);
    }

    /** Per arm, to tell a mean of {@code mean · (1 + relativeLift)} from {@code mean} with values of spread {@code sd}. */
    public static double mean(double mean, double sd, double relativeLift, double alpha, double power) {
        double d = Math.abs(mean * relativeLift) / sd;
        return d > 0 && Double.isFinite(d) ? perArm(d, alpha, power) : Double.NaN;
    }

    private static double perArm(double effect, double alpha, double power) {
        double z = Normal.quantile(1 - alpha / 2) + Normal.quantile(power);
        return 2 * (z / effect) * (z / effect);
    }
}
