package dev.segmenta.engine.campaign;

/** An estimate with its two-sided 95% confidence interval; NaN throughout where it is not defined. */
public record Interval(double estimate, double low, double high) {

    static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN, Double.NaN);

    /** The usual {@code estimate ± critical · standardError}. */
    static Interval symmetric(double estimate, double standardError, double critical) {
        return new Interval(estimate, estimate - critical * standardError, estimate + critical * standardError);
    }
}
