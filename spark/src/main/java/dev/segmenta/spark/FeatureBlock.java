package dev.segmenta.spark;

import dev.segmenta.io.ReadOptions;

import java.io.Serial;
import java.io.Serializable;

/**
 * Consecutive customers of one partition as a column-major float32 block, the unit the kernels
 * work on (feature {@code f} of row {@code i} is {@code x[f * n + i]}). Built once per partition and
 * cached; a plain class rather than a record so that Kryo, if configured, can serialize it.
 */
final class FeatureBlock implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Rows per block: the engine's block size, so a partition's blocks look like a file's blocks. */
    static final int ROWS = ReadOptions.DEFAULT_BLOCK_ROWS;

    final float[] x;
    final int n;
    /** Per-row weights, or {@code null} for weight 1. */
    final float[] weights;

    FeatureBlock(float[] x, int n, float[] weights) {
        this.x = x;
        this.n = n;
        this.weights = weights;
    }

    double totalWeight() {
        if (weights == null) {
            return n;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += weights[i];
        }
        return sum;
    }
}
