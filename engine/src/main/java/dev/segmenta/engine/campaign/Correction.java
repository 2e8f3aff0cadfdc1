package dev.segmenta.engine.campaign;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How the p-values of the segments, tested at once, are adjusted so that finding "a segment that
 * responds" among many is not mostly luck: the adjusted p-values of statsmodels' {@code multipletests}
 * ({@code method="holm"} and {@code "fdr_bh"}). A segment is significant when its adjusted p-value
 * is below alpha.
 */
public enum Correction {

    /**
     * Holm's step-down procedure (Scandinavian Journal of Statistics 6(2), 1979,
     * https://www.jstor.org/stable/4615733): controls the chance of any false finding (the family-wise
     * error rate), in every dependence between the tests, and is uniformly more powerful than Bonferroni.
     */
    HOLM("Holm"),

    /**
     * Benjamini and Hochberg's step-up procedure (JRSS B 57(1), 1995,
     * https://doi.org/10.1111/j.2517-6161.1995.tb02031.x): controls the expected share of false findings
     * among the significant segments (the false discovery rate), for independent tests as the segments'
     * are: more findings than Holm, at the price of some being false.
     */
    BH("Benjamini-Hochberg");

    private final String title;

    Correction(String title) {
        this.title = title;
    }

    /** The name a table prints. */
    public String title() {
        return title;
    }

    /** The adjusted p-values, in the order given; NaN entries (untested segments) stay NaN and do not count as tests. */
    public double[] adjust(double[] pValues) {
        Integer[] order = IntStream.range(0, pValues.length).filter(i -> !Double.isNaN(pValues[i]))
                .boxed().sorted(Comparator.comparingDouble(i -> pValues[i])).toArray(Integer[]::new);
        int m = order.length;
        double[] adjusted = new double[pValues.length];
        Arrays.fill(adjusted, Double.NaN);
        switch (this) {
            case HOLM -> {
                double running = 0;
                for (int rank = 0; rank < m; rank++) {
                    running = Math.max(running, Math.min(1, (m - rank) * pValues[order[rank]]));
                    adjusted[order[rank]] = running;
                }
            }
            case BH -> {
                double running = 1;
                for (int rank = m - 1; rank >= 0; rank--) {
                    running = Math.min(running, (double) m / (rank + 1) * pValues[order[rank]]);
                    adjusted[order[rank]] = running;
                }
            }
        }
        return adjusted;
    }
}
