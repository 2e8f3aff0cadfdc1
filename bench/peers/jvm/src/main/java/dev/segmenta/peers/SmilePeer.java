package dev.segmenta.peers;

import smile.clustering.BBDTree;
import smile.tensor.ScalarType;
import smile.tensor.Vector;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Smile's k-means as {@code smile.clustering.KMeans.fit} runs it, from given centroids: a BBD tree over
 * the points (built once, in {@link #load}), then one {@link BBDTree#clustering} call per Lloyd
 * iteration (Kanungo et al.'s filtering algorithm: exact Lloyd steps that prune whole tree nodes). Smile's
 * {@code fit} seeds with k-means++ itself and has no way to take initial centroids, so this repeats its
 * loop over the same public pieces with float32 points, float32 centroids and sums, as {@code fit} does
 * for {@code float[][]} input. The filtering is sequential: one thread, whatever is available.
 */
final class SmilePeer implements Peer {

    private float[][] rows;
    private BBDTree tree;

    @Override
    public String name() {
        return "Smile " + Vector.class.getPackage().getImplementationVersion() + " KMeans (BBD-tree filtering)";
    }

    @Override
    public int threadsUsed() {
        return 1;
    }

    @Override
    public void load(Path file, int d) throws IOException {
        Points points = Points.read(file, d);
        rows = new float[points.n()][];
        for (int i = 0; i < points.n(); i++) {
            rows[i] = points.row(i);
        }
        tree = new BBDTree(rows);
    }

    /** Smile's own stop rule (distortion no longer decreasing) is dropped, as is every peer's tolerance. */
    @Override
    public Fit fit(float[] initial, int k, int iterations) {
        int d = rows[0].length;
        Vector[] centroids = new Vector[k];
        Vector[] sums = new Vector[k];
        for (int j = 0; j < k; j++) {
            float[] c = new float[d];
            System.arraycopy(initial, j * d, c, 0, d);
            centroids[j] = Vector.column(c);
            sums[j] = Vector.zeros(ScalarType.Float32, d);
        }
        int[] size = new int[k];
        int[] group = new int[rows.length];
        for (int it = 0; it < iterations; it++) {
            tree.clustering(k, centroids, sums, size, group);
        }
        float[] result = new float[k * d];
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                result[j * d + f] = (float) centroids[j].get(f);
            }
        }
        return new Fit(result, iterations);
    }
}
