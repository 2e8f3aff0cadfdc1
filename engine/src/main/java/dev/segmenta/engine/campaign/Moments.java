package dev.segmenta.engine.campaign;

import dev.segmenta.engine.Reference;

/**
 * Count, mean and sum of squared deviations of a stream of values, updated one value at a time
 * (Welford) and merged (Chan et al.), so the variance keeps its digits when the mean is large
 * beside the spread, as revenue's often is.
 */
@Reference(authors = "T. F. Chan, G. H. Golub, R. J. LeVeque",
        title = "Algorithms for computing the sample variance: analysis and recommendations",
        booktitle = "The American Statistician 37(3)",
        year = 1983,
        url = "https://doi.org/10.1080/00031305.1983.10483115")
public final class Moments {

    private long n;
    private double mean;
    private double squares;

    public void add(double x) {
        n++;
        double delta = x - mean;
        mean += delta / n;
        squares += delta * (x - mean);
    }

    /** Adds {@code count} values equal to {@code x} at once. */
    public void addRepeated(double x, long count) {
        if (count > 0) {
            Moments same = new Moments();
            same.n = count;
            same.mean = x;
            merge(same);
        }
    }

    public void merge(Moments other) {
        if (other.n == 0) {
            return;
        }
        long total = n + other.n;
        double delta = other.mean - mean;
        squares += other.squares + delta * delta * ((double) n * other.n / total);
        mean += delta * other.n / total;
        n = total;
    }

    public long n() {
        return n;
    }

    /** NaN when empty. */
    public double mean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** The sample variance (divisor n − 1); NaN below two values. */
    public double variance() {
        return n < 2 ? Double.NaN : squares / (n - 1);
    }
}
