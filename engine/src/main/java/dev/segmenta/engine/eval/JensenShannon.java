package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;

/**
 * The Jensen-Shannon divergence of two discrete distributions, in bits:
 * {@code JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M)} with {@code M = (P + Q) / 2} and base-2 logarithms,
 * so it lies in [0, 1]: 0 for equal distributions, 1 for distributions with disjoint support. Unlike
 * the Kullback-Leibler divergence it is symmetric and finite when one side has empty bins.
 */
@Reference(authors = "J. Lin",
        title = "Divergence measures based on the Shannon entropy",
        booktitle = "IEEE Transactions on Information Theory 37(1)",
        year = 1991,
        url = "https://doi.org/10.1109/18.61115")
public final class JensenShannon {

    private JensenShannon() {
    }

    /**
     * @param p counts (or weights) per bin, not all zero
     * @param q counts per bin, as many bins as {@code p}, not all zero
     */
    public static double divergence(long[] p, long[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions over " + p.length + " and " + q.length + " bins");
        }
        double[] a = new double[p.length];
        double[] b = new double[q.length];
        for (int i = 0; i < p.length; i++) {
            a[i] = p[i];
            b[i] = q[i];
        }
        return divergence(a, b);
    }

    /** As {@link #divergence(long[], long[])}, for non-negative weights. */
    public static double divergence(double[] p, double[] q) {
        double sp = sum(p);
        double sq = sum(q);
        if (!(sp > 0) || !(sq > 0) || p.length != q.length) {
            throw new IllegalArgumentException("two non-empty distributions over the same bins are needed");
        }
        double jsd = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double mi = (pi + qi) / 2;
            if (pi > 0) {
                jsd += 0.5 * pi * Math.log(pi / mi);
            }
            if (qi > 0) {
                jsd += 0.5 * qi * Math.log(qi / mi);
            }
        }
        // Rounding can push identical distributions a hair below 0 and disjoint ones above 1.
        return Math.min(1, Math.max(0, jsd / Math.log(2)));
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            if (v < 0 || !Double.isFinite(v)) {
                throw new IllegalArgumentException("weights must be finite and non-negative, got " + v);
            }
            s += v;
        }
        return s;
    }
}
