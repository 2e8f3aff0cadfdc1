package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;

/**
 * The Calinski-Harabasz index (variance ratio criterion): between-segment dispersion over
 * within-segment dispersion, each divided by its degrees of freedom,
 * {@code [Σ n_j ‖μ_j − μ‖² / (L − 1)] / [Σ_j Σ_{i∈j} ‖x_i − μ_j‖² / (N − L)]} over the {@code L}
 * non-empty segments. Higher is better; it has no upper bound and compares fits of the same data only.
 *
 * <p>Defined as scikit-learn's {@code calinski_harabasz_score}: 1.0 when the within-segment
 * dispersion is 0. Computed from {@link ClusterMoments} in one pass, in double.
 */
@Reference(authors = "T. Caliński, J. Harabasz",
        title = "A dendrite method for cluster analysis",
        booktitle = "Communications in Statistics 3(1)",
        year = 1974,
        url = "https://doi.org/10.1080/03610927408827101")
public final class CalinskiHarabasz {

    private CalinskiHarabasz() {
    }

    /** @throws IllegalArgumentException unless {@code 2 ≤ L ≤ N − 1} */
    public static double of(ClusterMoments moments) {
        moments.requireValidLabelCount();
        int d = moments.dimensions();
        double between = 0;
        double within = 0;
        for (int j = 0; j < moments.k(); j++) {
            long n = moments.counts()[j];
            if (n == 0) {
                continue;
            }
            double squared = 0;
            for (int f = 0; f < d; f++) {
                double diff = moments.means()[j * d + f] - moments.grandMean()[f];
                squared += diff * diff;
            }
            between += n * squared;
            within += moments.scatter()[j];
        }
        double labels = moments.nonEmpty();
        return within == 0 ? 1.0 : between * (moments.rows() - labels) / (within * (labels - 1));
    }
}
