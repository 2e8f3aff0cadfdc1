package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.kernels.KMeansKernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Assigns every customer of a stream to its nearest centroid: blocks are read in groups of
 * {@code threads}, scaled and assigned in parallel, and handed on in file order on the calling
 * thread. Memory: {@code threads} blocks in flight. What {@code predict}, {@code drift} and the
 * assignments of an out-of-core fit run on.
 */
public final class StreamedAssignment {

    /** Receives each block's assignment, in file order. */
    @FunctionalInterface
    public interface Consumer {
        /**
         * @param block     the customers, with their ids; the values are scaled
         * @param labels    the segment of each of the block's customers
         * @param distances its squared distance to that segment's centroid, in the scaled space
         */
        void accept(FeatureBatch block, int[] labels, float[] distances) throws IOException;
    }

    /**
     * Labels one block of customers in the model's space: the nearest centroid, or (DBSCAN) the
     * nearest core point within eps. Called from several threads at once.
     */
    @FunctionalInterface
    public interface Labeller {
        /**
         * @param x                {@code n} customers, column-major, in the model's space
         * @param labels           out: segment per customer ({@code -1}: none)
         * @param squaredDistances out: squared distance to what the customer was assigned to
         */
        void label(float[] x, int n, int[] labels, float[] squaredDistances);
    }

    private final KMeansKernels kernels;
    private final BlockExecutor executor;

    public StreamedAssignment(KMeansKernels kernels, BlockExecutor executor) {
        this.kernels = kernels;
        this.executor = executor;
    }

    /**
     * Reads {@code source} to its end.
     *
     * @param centroids {@code k} rows of the source's feature count, row-major, in the scaled space
     * @throws UncheckedIOException wrapping an {@link IOException} thrown by {@code consumer}
     */
    public void forEach(FeatureSource source, Scaling scaling, float[] centroids, int k, Consumer consumer) {
        forEach(source, scaling, null, centroids, k, consumer);
    }

    /**
     * Reads {@code source} to its end, assigning each block in the space of {@code pca}'s components
     * after scaling. The consumer still gets the scaled features (the projection is only for the
     * assignment).
     *
     * @param pca       the model's projection, or {@code null} to assign in the scaled feature space
     * @param centroids {@code k} rows of {@code pca.count()} values (or the source's feature count), row-major
     * @throws UncheckedIOException wrapping an {@link IOException} thrown by {@code consumer}
     */
    public void forEach(FeatureSource source, Scaling scaling, Pca pca, float[] centroids, int k, Consumer consumer) {
        int d = pca == null ? source.featureNames().size() : pca.count();
        forEach(source, scaling, pca, (x, n, labels, distances) -> kernels.assign(x, n, d, centroids, k, labels,
                distances), consumer);
    }

    /**
     * Reads {@code source} to its end, labelling each block (scaled, then projected by {@code pca}
     * when there is one) with {@code labeller}.
     *
     * @throws BadInputException    for a value too far from the training data to score ({@link Scaling#checkScaled})
     * @throws UncheckedIOException wrapping an {@link IOException} thrown by {@code consumer}
     */
    public void forEach(FeatureSource source, Scaling scaling, Pca pca, Labeller labeller, Consumer consumer) {
        int threads = executor.threads();
        FeatureBatch[] group = new FeatureBatch[threads];
        int[][] labels = new int[threads][];
        float[][] distances = new float[threads][];
        try {
            for (int m = read(source, group); m > 0; m = read(source, group)) {
                executor.forEachBlock(m, g -> {
                    FeatureBatch block = group[g];
                    scaling.apply(block);
                    try {
                        Scaling.checkScaled(block, source.featureNames());
                    } catch (BadInputException e) {
                        throw e.inFile(source.file());
                    }
                    FeatureBatch space = pca == null ? block : pca.project(block);
                    labels[g] = new int[block.rows()];
                    distances[g] = new float[block.rows()];
                    labeller.label(space.values(), block.rows(), labels[g], distances[g]);
                });
                for (int g = 0; g < m; g++) {
                    consumer.accept(group[g], labels[g], distances[g]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills {@code group} with the next blocks of {@code source}; returns how many it got. */
    static int read(FeatureSource source, FeatureBatch[] group) {
        int m = 0;
        while (m < group.length) {
            FeatureBatch batch = source.next();
            if (batch == null) {
                break;
            }
            group[m++] = batch;
        }
        Arrays.fill(group, m, group.length, null);
        return m;
    }
}
