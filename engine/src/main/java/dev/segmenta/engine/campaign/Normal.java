package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * The standard normal distribution. Its CDF is {@code Φ(−z) = Q(½, z²/2) / 2}, the regularized upper
 * incomplete gamma function, evaluated by its series below {@code z²/2 = 1.5} and by its continued
 * fraction (modified Lentz) above (Numerical Recipes §6.2): accurate to a few ulps, relatively, far
 * into the tails, where the p-values of strong effects live. The quantile is Acklam's rational
 * approximation (relative error 1.2e-9) polished by one Halley step on that CDF, which brings it to
 * full double precision.
 */
@Reference(authors = "W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery",
        title = "Numerical Recipes: The Art of Scientific Computing, 3rd edition, section 6.2 (incomplete gamma function)",
        booktitle = "Cambridge University Press",
        year = 2007,
        url = "https://numerical.recipes/book.html")
public final class Normal {

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    /** ln Γ(½) = ln √π. */
    private static final double LOG_GAMMA_HALF = 0.5 * Math.log(Math.PI);
    private static final double EPSILON = 1e-17;
    private static final double TINY = 1e-300;

    private Normal() {
    }

    public static double density(double x) {
        return Math.exp(-0.5 * x * x) / SQRT_2PI;
    }

    /** P(Z ≤ x). */
    public static double cdf(double x) {
        double tail = upperTail(Math.abs(x));
        return x > 0 ? 1 - tail : tail;
    }

    /** P(|Z| ≥ |x|): the two-sided p-value of a z statistic, computed from the tail so small values keep their digits. */
    public static double twoSided(double x) {
        return Math.min(1, 2 * upperTail(Math.abs(x)));
    }

    /** P(Z ≥ z) for z ≥ 0. */
    private static double upperTail(double z) {
        double x = 0.5 * z * z;
        if (x > 745) {
            return 0;
        }
        double front = Math.exp(-x + 0.5 * Math.log(x) - LOG_GAMMA_HALF);
        if (x < 1.5) {
            return 0.5 * (1 - (x == 0 ? 0 : front * lowerSeries(x)));
        }
        return 0.5 * front * upperFraction(x);
    }

    /** Σ x^n / (½ (½ + 1) … (½ + n)): P(½, x) = front · this. */
    private static double lowerSeries(double x) {
        double term = 2;
        double sum = term;
        for (double a = 0.5; a < 1000; ) {
            a += 1;
            term *= x / a;
            sum += term;
            if (term < sum * EPSILON) {
                break;
            }
        }
        return sum;
    }

    /** The continued fraction of Q(½, x) / front, by the modified Lentz method. */
    private static double upperFraction(double x) {
        double b = x + 0.5;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 1000; i++) {
            double an = -i * (i - 0.5);
            b += 2;
            d = an * d + b;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = b + an / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < EPSILON) {
                break;
            }
        }
        return h;
    }

    /** The x with P(Z ≤ x) = p, for 0 < p < 1. */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability strictly between 0 and 1, got " + p);
        }
        double x;
        double low = 0.02425;
        if (p < low) {
            x = tail(Math.sqrt(-2 * Math.log(p)));
        } else if (p > 1 - low) {
            x = -tail(Math.sqrt(-2 * Math.log1p(-p)));
        } else {
            double q = p - 0.5;
            double r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                    + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                    / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                    + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        }
        // Halley's step, from the side whose tail keeps its digits: the error is far inside the basin,
        // so one step reaches double precision.
        double e = x < 0 ? upperTail(-x) - p : (1 - p) - upperTail(x);
        double u = e * SQRT_2PI * Math.exp(0.5 * x * x);
        return x - u / (1 + 0.5 * x * u);
    }

    /** Acklam's lower-tail branch, at {@code q = sqrt(-2 ln p)}. */
    private static double tail(double q) {
        return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                + 3.754408661907416e+00) * q + 1);
    }
}
