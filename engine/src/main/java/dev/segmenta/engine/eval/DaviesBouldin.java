package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;

/**
 * The Davies-Bouldin index: for each segment, its worst ratio {@code (S_i + S_j) / ‖μ_i − μ_j‖} with
 * another segment, averaged over segments, where {@code S_i} is the mean Euclidean distance of the
 * segment's customers to its mean. Lower is better; 0 is the minimum.
 *
 * <p>Defined as scikit-learn's {@code davies_bouldin_score}: over the non-empty segments only; 0 when
 * every {@code S_i} or every mean distance is (close to) 0; a pair whose means coincide is skipped. The
 * {@code S_i} take one parallel pass after {@link ClusterMoments}, summed in double and merged in
 * block order.
 */
@Reference(authors = "D. L. Davies, D. W. Bouldin",
        title = "A Cluster Separation Measure",
        booktitle = "IEEE Transactions on Pattern Analysis and Machine Intelligence PAMI-1(2)",
        year = 1979,
        url = "https://doi.org/10.1109/TPAMI.1979.4766909")
public final class DaviesBouldin {

    private DaviesBouldin() {
    }

    /** @throws IllegalArgumentException unless {@code 2 ≤ L ≤ N − 1} */
    public static double of(Dataset data, int[][] labels, ClusterMoments moments, BlockExecutor executor) {
        moments.requireValidLabelCount();
        int k = moments.k();
        int d = moments.dimensions();
        double[][] partial = new double[data.blockCount()][];
        executor.forEachBlock(data.blockCount(), b -> partial[b] = distanceSums(data.block(b), labels[b], moments, d));
        double[] spread = new double[k];
        for (double[] block : partial) {
            for (int j = 0; j < k; j++) {
                spread[j] += block[j];
            }
        }
        int[] present = new int[moments.nonEmpty()];
        int m = 0;
        for (int j = 0; j < k; j++) {
            if (moments.counts()[j] > 0) {
                spread[j] /= moments.counts()[j];
                present[m++] = j;
            }
        }
        boolean allSpreadsZero = true;
        boolean allDistancesZero = true;
        double[][] distance = new double[m][m];
        for (int a = 0; a < m; a++) {
            allSpreadsZero &= isClose(spread[present[a]]);
            for (int b = 0; b < m; b++) {
                distance[a][b] = moments.meanDistance(present[a], present[b]);
                allDistancesZero &= isClose(distance[a][b]);
            }
        }
        if (allSpreadsZero || allDistancesZero) {
            return 0.0;
        }
        double total = 0;
        for (int a = 0; a < m; a++) {
            double worst = 0;
            for (int b = 0; b < m; b++) {
                if (distance[a][b] != 0) {
                    worst = Math.max(worst, (spread[present[a]] + spread[present[b]]) / distance[a][b]);
                }
            }
            total += worst;
        }
        return total / m;
    }

    /** numpy's {@code allclose(v, 0)} test for one value: {@code |v| ≤ 1e-8}. */
    private static boolean isClose(double v) {
        return Math.abs(v) <= 1e-8;
    }

    private static double[] distanceSums(FeatureBatch block, int[] labels, ClusterMoments moments, int d) {
        int n = block.rows();
        float[] x = block.values();
        double[] means = moments.means();
        double[] sums = new double[moments.k()];
        for (int i = 0; i < n; i++) {
            int j = labels[i];
            double squared = 0;
            for (int f = 0; f < d; f++) {
                double diff = x[f * n + i] - means[j * d + f];
                squared += diff * diff;
            }
            sums[j] += Math.sqrt(squared);
        }
        return sums;
    }
}
