package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * Student's t distribution with real (not only whole) degrees of freedom, as Welch's test needs:
 * the tail through the regularized incomplete beta function,
 * {@code P(|T| ≥ t) = I_x(ν/2, 1/2)} with {@code x = ν / (ν + t²)}, evaluated by its continued
 * fraction with the modified Lentz method (Numerical Recipes §6.4), and {@code ln Γ} by Stirling's
 * series after shifting the argument above 15 with the recurrence, good to about 1e-14.
 */
@Reference(authors = "W. H. Press, S. A. Teukolsky, W. T. Vetterling, B. P. Flannery",
        title = "Numerical Recipes: The Art of Scientific Computing, 3rd edition, section 6.4 (incomplete beta function)",
        booktitle = "Cambridge University Press",
        year = 2007,
        url = "https://numerical.recipes/book.html")
public final class StudentT {

    private static final int MAX_TERMS = 200_000;
    /**
     * Beyond this many degrees of freedom t is normal to within 1e-8 (the difference falls as 1/ν),
     * and the continued fraction, whose terms grow as √ν, would only spend time to say so.
     */
    private static final double NORMAL_BEYOND = 1e8;
    private static final double EPSILON = 1e-16;
    private static final double TINY = 1e-300;
    /** Where Stirling's series, to its sixth term, is good to about 1e-14. */
    private static final double STIRLING_FROM = 15;

    private StudentT() {
    }

    /** P(T ≤ t) for ν = {@code df} > 0 degrees of freedom. */
    public static double cdf(double t, double df) {
        if (df > NORMAL_BEYOND) {
            return Normal.cdf(t);
        }
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** P(|T| ≥ |t|): the two-sided p-value of a t statistic. */
    public static double twoSided(double t, double df) {
        if (!(df > 0)) {
            throw new IllegalArgumentException("degrees of freedom must be positive, got " + df);
        }
        if (df > NORMAL_BEYOND) {
            return Normal.twoSided(t);
        }
        return Double.isInfinite(t) ? 0 : Math.min(1, regularizedBeta(df / (df + t * t), df / 2, 0.5));
    }

    /** The t with P(T ≤ t) = p: Newton's method on {@link #cdf}, started at the normal quantile. */
    public static double quantile(double p, double df) {
        if (!(p > 0 && p < 1) || !(df > 0)) {
            throw new IllegalArgumentException("need 0 < p < 1 and df > 0, got p=" + p + ", df=" + df);
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        // Bracketed: Newton from the normal quantile can overshoot for few degrees of freedom (heavy tails).
        double low = 0;
        double high = Math.max(1, Normal.quantile(p));
        while (cdf(high, df) < p) {
            low = high;
            high *= 2;
        }
        double t = Math.min(high, Math.max(low, Normal.quantile(p)));
        for (int i = 0; i < 200; i++) {
            double f = cdf(t, df) - p;
            if (f == 0) {
                return t;
            }
            if (f > 0) {
                high = t;
            } else {
                low = t;
            }
            double next = t - f / density(t, df);
            if (!(next > low && next < high)) {
                next = 0.5 * (low + high);
            }
            if (Math.abs(next - t) <= 1e-15 * t) {
                return next;
            }
            t = next;
        }
        return t;
    }

    static double density(double t, double df) {
        return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI)
                - (df + 1) / 2 * Math.log1p(t * t / df));
    }

    /** I_x(a, b), the regularized incomplete beta function, for a, b > 0 and 0 ≤ x ≤ 1. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
        // The continued fraction converges fast only below (a + 1) / (a + b + 2); above it, by symmetry.
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    /** Lentz's evaluation of the continued fraction of I_x(a, b) (Numerical Recipes' betacf). */
    private static double continuedFraction(double x, double a, double b) {
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < TINY ? TINY : d);
        double h = d;
        for (int m = 1; m <= MAX_TERMS; m++) {
            int m2 = 2 * m;
            double even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + even / c;
            c = Math.abs(c) < TINY ? TINY : c;
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + odd / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < EPSILON) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta did not converge for x=" + x + ", a=" + a + ", b=" + b);
    }

    /**
     * ln B(a, b). When one argument is large (many degrees of freedom), ln Γ(a) and ln Γ(a + b) are huge
     * and nearly equal: their difference is taken from Stirling's series directly instead, with no
     * cancellation, else a million degrees of freedom would cost six digits of the p-value.
     */
    static double logBeta(double a, double b) {
        double large = Math.max(a, b);
        double small = Math.min(a, b);
        if (large < STIRLING_FROM) {
            return logGamma(a) + logGamma(b) - logGamma(a + b);
        }
        double ratio = -(large - 0.5) * Math.log1p(small / large) - small * Math.log(large + small) + small
                + stirlingSeries(large) - stirlingSeries(large + small);
        return logGamma(small) + ratio;
    }

    /** ln Γ(x) for x > 0: Stirling's series at x + n ≥ 15, brought back by Γ(x + 1) = x Γ(x). */
    static double logGamma(double x) {
        double shift = 0;
        double z = x;
        while (z < STIRLING_FROM) {
            shift += Math.log(z);
            z += 1;
        }
        return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + stirlingSeries(z) - shift;
    }

    /** The Bernoulli terms B_2k / (2k (2k − 1) z^(2k−1)), k = 1..6, of Stirling's series for ln Γ(z). */
    private static double stirlingSeries(double z) {
        double inverse = 1 / z;
        double inverse2 = inverse * inverse;
        return inverse * (1.0 / 12 + inverse2 * (-1.0 / 360 + inverse2 * (1.0 / 1260 + inverse2 * (-1.0 / 1680
                + inverse2 * (1.0 / 1188 + inverse2 * (-691.0 / 360360))))));
    }
}
