package dev.segmenta.engine.prep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.segmenta.engine.Reference;
import dev.segmenta.io.FeatureBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Principal component analysis: the leading eigenvectors of the features' covariance matrix
 * ({@link Covariance}, one pass) by {@link JacobiEigen}, and the projection of customers onto them,
 * {@code y = Wᵀ(x − mean)}. Used for 2-D plots of segments and, with {@code fit --pca N}, as a
 * preprocessing step stored in the model, so that prediction projects new customers the same way.
 *
 * <p>Agrees with scikit-learn's {@code PCA} (without whitening): the same explained variances
 * (eigenvalues of the {@code N − 1} covariance), ratios (over the total variance, the covariance's
 * trace) and components up to sign. The sign is fixed as in scikit-learn ≥ 1.5: each component's
 * largest-magnitude loading is positive, so the same data always gives the same axes.
 *
 * @param mean                   the data's mean per input feature (in the space PCA was fitted in)
 * @param components             {@code n × d}: row {@code c} is the unit loading vector of component {@code c}
 * @param explainedVariance      variance along each component
 * @param explainedVarianceRatio share of the total variance along each component
 */
@Reference(authors = "K. Pearson",
        title = "On lines and planes of closest fit to systems of points in space",
        booktitle = "The London, Edinburgh, and Dublin Philosophical Magazine and Journal of Science 2(11)",
        year = 1901,
        url = "https://doi.org/10.1080/14786440109462720")
public record Pca(double[] mean, double[][] components, double[] explainedVariance, double[] explainedVarianceRatio) {

    /**
     * @param count components to keep, from 1 to the number of features
     * @throws IllegalArgumentException for a count outside that range
     */
    public static Pca fit(Covariance covariance, int count) {
        int d = covariance.dimensions();
        if (count < 1 || count > d) {
            throw new IllegalArgumentException("components must be between 1 and the " + d + " features, got " + count);
        }
        JacobiEigen.Result eigen = JacobiEigen.decompose(covariance.matrix());
        double total = 0;
        for (int f = 0; f < d; f++) {
            total += covariance.matrix()[f][f];
        }
        double[][] components = new double[count][];
        double[] variance = new double[count];
        double[] ratio = new double[count];
        for (int c = 0; c < count; c++) {
            components[c] = withLargestLoadingPositive(eigen.vectors()[c]);
            // Rounding can leave a zero eigenvalue slightly negative; a variance cannot be.
            variance[c] = Math.max(0, eigen.values()[c]);
            ratio[c] = total > 0 ? variance[c] / total : 0;
        }
        return new Pca(covariance.mean().clone(), components, variance, ratio);
    }

    private static double[] withLargestLoadingPositive(double[] vector) {
        int largest = 0;
        for (int f = 1; f < vector.length; f++) {
            if (Math.abs(vector[f]) > Math.abs(vector[largest])) {
                largest = f;
            }
        }
        double[] v = vector.clone();
        if (v[largest] < 0) {
            for (int f = 0; f < v.length; f++) {
                v[f] = -v[f];
            }
        }
        return v;
    }

    /** The first {@code count} components of this analysis. */
    public Pca leading(int count) {
        if (count < 1 || count > count()) {
            throw new IllegalArgumentException("components must be between 1 and " + count() + ", got " + count);
        }
        return new Pca(mean, Arrays.copyOf(components, count), Arrays.copyOf(explainedVariance, count),
                Arrays.copyOf(explainedVarianceRatio, count));
    }

    @JsonIgnore
    public int count() {
        return components.length;
    }

    @JsonIgnore
    public int inputDimensions() {
        return mean.length;
    }

    /** The block's customers projected onto the components, as a new block with the same rows and ids. */
    public FeatureBatch project(FeatureBatch block) {
        int n = block.rows();
        int d = inputDimensions();
        int p = count();
        float[] x = block.values();
        float[] y = new float[p * n];
        double[] acc = new double[n];
        for (int c = 0; c < p; c++) {
            Arrays.fill(acc, 0);
            double[] w = components[c];
            for (int f = 0; f < d; f++) {
                double wf = w[f];
                double mf = mean[f];
                int base = f * n;
                for (int i = 0; i < n; i++) {
                    acc[i] += (x[base + i] - mf) * wf;
                }
            }
            for (int i = 0; i < n; i++) {
                y[c * n + i] = (float) acc[i];
            }
        }
        return new FeatureBatch(y, n, p, block.firstRow(), block.ids());
    }

    /** Names of the projected columns: {@code pc1}, {@code pc2}, ... */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < count(); c++) {
            names.add("pc" + (c + 1));
        }
        return names;
    }
}
