package dev.segmenta.engine;

import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds in-memory datasets for tests. */
public final class TestData {

    private TestData() {
    }

    /** Row-major points into column-major blocks of {@code blockRows}. */
    public static Dataset dataset(float[][] points, int blockRows, float[] weights) {
        int d = points[0].length;
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> blockWeights = new ArrayList<>();
        for (int start = 0; start < points.length; start += blockRows) {
            int n = Math.min(blockRows, points.length - start);
            float[] x = new float[n * d];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = start + i;
                for (int f = 0; f < d; f++) {
                    x[f * n + i] = points[start + i][f];
                }
            }
            blocks.add(new FeatureBatch(x, n, d, start, new IdColumn.Longs(ids, n)));
            if (weights != null) {
                float[] w = new float[n];
                System.arraycopy(weights, start, w, 0, n);
                blockWeights.add(w);
            }
        }
        List<String> names = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            names.add("f" + f);
        }
        return new Dataset(blocks, names, weights == null ? null : blockWeights.toArray(new float[0][]));
    }

    public static Dataset dataset(float[][] points, int blockRows) {
        return dataset(points, blockRows, null);
    }

    /** {@code perCluster} Gaussian points (σ = 1) around each of the given centres. */
    public static float[][] blobs(float[][] centres, int perCluster, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = centres[0].length;
        float[][] points = new float[centres.length * perCluster][d];
        for (int c = 0; c < centres.length; c++) {
            for (int p = 0; p < perCluster; p++) {
                for (int f = 0; f < d; f++) {
                    points[c * perCluster + p][f] = (float) (centres[c][f] + random.nextGaussian());
                }
            }
        }
        return points;
    }
}
