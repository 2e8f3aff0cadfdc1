package dev.segmenta.engine.data;

import dev.segmenta.io.FeatureBatch;

import java.util.List;

/**
 * Customers held in memory as fixed-size column-major blocks, the unit of all parallel work.
 *
 * <p>Every block but the last has the same row count, so how work is split never depends on the
 * thread count or on how the source file was laid out; this is what makes results reproducible.
 * Peak memory: {@code 4 * d} bytes per customer for the features, plus the ids (8 bytes for a
 * numeric id, the UTF-8 length + 4 for a string id).
 *
 * @param blocks       the blocks in file order
 * @param featureNames the feature of each column
 * @param weights      per-block sample weights ({@code weights[b][i]}), or {@code null} for weight 1
 */
public record Dataset(List<FeatureBatch> blocks, List<String> featureNames, float[][] weights) {

    public Dataset {
        blocks = List.copyOf(blocks);
        featureNames = List.copyOf(featureNames);
        if (weights != null && weights.length != blocks.size()) {
            throw new IllegalArgumentException("one weight array per block expected");
        }
    }

    public int dimensions() {
        return featureNames.size();
    }

    public int blockCount() {
        return blocks.size();
    }

    public FeatureBatch block(int b) {
        return blocks.get(b);
    }

    /** Weights of block {@code b}, or {@code null} when all are 1. */
    public float[] weights(int b) {
        return weights == null ? null : weights[b];
    }

    /** Whether the customers carry sample weights. */
    public boolean weighted() {
        return weights != null;
    }

    public long rows() {
        long rows = 0;
        for (FeatureBatch block : blocks) {
            rows += block.rows();
        }
        return rows;
    }

    /** Largest block's row count: the size of per-block scratch buffers. */
    public int maxBlockRows() {
        int max = 0;
        for (FeatureBatch block : blocks) {
            max = Math.max(max, block.rows());
        }
        return max;
    }
}
