package dev.segmenta.kernels;

import java.util.List;

/**
 * A whole dataset as the blocks the engine holds, handed to {@link KMeansKernels#upload} by reference
 * (nothing is copied until a backend decides to).
 *
 * <p>Block {@code b} has {@code rows[b]} points, column-major as everywhere in the kernel contract:
 * feature {@code f} of point {@code i} is {@code values.get(b)[f * rows[b] + i]}.
 *
 * @param values  each block's points
 * @param rows    each block's row count
 * @param d       features per point
 * @param weights each block's per-point weights, or {@code null} when every weight is 1
 */
public record PointBlocks(List<float[]> values, int[] rows, int d, List<float[]> weights) {

    public PointBlocks {
        values = List.copyOf(values);
        rows = rows.clone();
        weights = weights == null ? null : List.copyOf(weights);
        if (d < 1) {
            throw new IllegalArgumentException("at least one feature expected, got " + d);
        }
        if (rows.length != values.size() || (weights != null && weights.size() != rows.length)) {
            throw new IllegalArgumentException("one row count and one weight array per block expected");
        }
        for (int b = 0; b < rows.length; b++) {
            if (rows[b] < 0 || values.get(b).length < (long) rows[b] * d
                    || (weights != null && weights.get(b).length < rows[b])) {
                throw new IllegalArgumentException("block " + b + " is shorter than its " + rows[b] + " rows");
            }
        }
    }

    public int blockCount() {
        return rows.length;
    }

    public long totalRows() {
        long total = 0;
        for (int r : rows) {
            total += r;
        }
        return total;
    }

    public int maxRows() {
        int max = 0;
        for (int r : rows) {
            max = Math.max(max, r);
        }
        return max;
    }

    /** Weights of block {@code b}, or {@code null} when all are 1. */
    public float[] weights(int b) {
        return weights == null ? null : weights.get(b);
    }
}
