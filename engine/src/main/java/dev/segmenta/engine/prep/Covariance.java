package dev.segmenta.engine.prep;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;

import java.util.List;

/**
 * The sample covariance matrix of the features (denominator {@code N − 1}, as numpy and scikit-learn's
 * PCA use), in one pass over the data, in double.
 *
 * <p>Each block's mean and co-moment matrix {@code Σ (x − x̄)(x − x̄)ᵀ} are taken about the block's own
 * mean, and blocks are merged in block order with the pairwise update of Chan, Golub and LeVeque
 * ({@code C = C_a + C_b + δδᵀ · n_a n_b / n}). Centring per block keeps the result accurate when
 * the means are large compared to the spread, where {@code Σxxᵀ − N x̄x̄ᵀ} would cancel catastrophically,
 * and the fixed merge order makes it independent of the thread count. The streamed path
 * ({@link Accumulator}) and the in-memory one ({@link #of(Dataset, BlockExecutor)}) merge the same
 * block moments, so they agree bit for bit.
 *
 * @param count  customers
 * @param mean   per feature
 * @param matrix {@code d × d}, symmetric
 */
@Reference(authors = "T. F. Chan, G. H. Golub, R. J. LeVeque",
        title = "Updating formulae and a pairwise algorithm for computing sample variances",
        booktitle = "COMPSTAT 1982, Physica, Heidelberg (Stanford report STAN-CS-79-773, 1979)",
        year = 1979,
        url = "https://doi.org/10.1007/978-3-642-51461-6_3")
public record Covariance(long count, double[] mean, double[][] matrix) {

    public int dimensions() {
        return mean.length;
    }

    /** In parallel over the blocks, merged in block order. */
    public static Covariance of(Dataset data, BlockExecutor executor) {
        int d = data.dimensions();
        Accumulator accumulator = new Accumulator(d);
        accumulator.addAll(data.blocks(), executor);
        return accumulator.result();
    }

    /**
     * The covariance of the data after an affine per-feature map {@code x' = (x − offset) / scale}:
     * exactly {@code C'_fg = C_fg / (scale_f · scale_g)}, so one pass over the raw data serves any scaling.
     */
    public Covariance scaled(Scaling scaling) {
        int d = dimensions();
        double[] m = new double[d];
        double[][] c = new double[d][d];
        for (int f = 0; f < d; f++) {
            m[f] = (mean[f] - scaling.offset()[f]) / scaling.scale()[f];
            for (int g = 0; g < d; g++) {
                c[f][g] = matrix[f][g] / (scaling.scale()[f] * scaling.scale()[g]);
            }
        }
        return new Covariance(count, m, c);
    }

    /** Covariance built block by block in file order, for a streamed pass. Memory: {@code O(d²)}. */
    public static final class Accumulator {

        private final int d;
        private final double[] mean;
        private final double[][] comoment;
        private long count;

        public Accumulator(int dimensions) {
            this.d = dimensions;
            this.mean = new double[d];
            this.comoment = new double[d][d];
        }

        /** Adds the first {@code d} features of the next block. */
        public void add(FeatureBatch block) {
            merge(Moments.of(block, d));
        }

        /** Adds the next blocks, their moments computed in parallel and merged in order. */
        public void addAll(List<FeatureBatch> blocks, BlockExecutor executor) {
            Moments[] moments = new Moments[blocks.size()];
            executor.forEachBlock(moments.length, b -> moments[b] = Moments.of(blocks.get(b), d));
            for (Moments m : moments) {
                merge(m);
            }
        }

        private void merge(Moments block) {
            if (block.rows == 0) {
                return;
            }
            long total = count + block.rows;
            double[] delta = new double[d];
            for (int f = 0; f < d; f++) {
                delta[f] = block.mean[f] - mean[f];
            }
            double weight = (double) count * block.rows / total;
            for (int f = 0; f < d; f++) {
                for (int g = 0; g < d; g++) {
                    comoment[f][g] += block.comoment[f][g] + delta[f] * delta[g] * weight;
                }
                mean[f] += delta[f] * block.rows / total;
            }
            count = total;
        }

        /** @throws IllegalStateException with fewer than two customers, which have no sample covariance */
        public Covariance result() {
            if (count < 2) {
                throw new IllegalStateException("a covariance needs at least 2 customers, got " + count);
            }
            double[][] c = new double[d][d];
            for (int f = 0; f < d; f++) {
                for (int g = 0; g < d; g++) {
                    c[f][g] = comoment[f][g] / (count - 1);
                }
            }
            return new Covariance(count, mean.clone(), c);
        }
    }

    /** One block's mean and co-moment matrix about that mean. */
    private record Moments(long rows, double[] mean, double[][] comoment) {

        static Moments of(FeatureBatch block, int d) {
            int n = block.rows();
            float[] x = block.values();
            double[] mean = new double[d];
            for (int f = 0; f < d; f++) {
                double sum = 0;
                for (int i = f * n, end = i + n; i < end; i++) {
                    sum += x[i];
                }
                mean[f] = n == 0 ? 0 : sum / n;
            }
            double[] centred = new double[n];
            double[][] comoment = new double[d][d];
            for (int f = 0; f < d; f++) {
                double mf = mean[f];
                for (int i = 0; i < n; i++) {
                    centred[i] = x[f * n + i] - mf;
                }
                for (int g = f; g < d; g++) {
                    double mg = mean[g];
                    int base = g * n;
                    double s0 = 0;
                    double s1 = 0;
                    int i = 0;
                    for (; i + 2 <= n; i += 2) {
                        s0 += centred[i] * (x[base + i] - mg);
                        s1 += centred[i + 1] * (x[base + i + 1] - mg);
                    }
                    for (; i < n; i++) {
                        s0 += centred[i] * (x[base + i] - mg);
                    }
                    comoment[f][g] = s0 + s1;
                    comoment[g][f] = s0 + s1;
                }
            }
            return new Moments(n, mean, comoment);
        }
    }
}
