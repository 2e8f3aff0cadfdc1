package dev.segmenta.io;

/**
 * One block of customers: the selected numeric features as column-major float32, with the
 * customers' ids kept beside them.
 *
 * @param values   feature {@code f} of row {@code i} is {@code values[f * rows + i]}
 * @param rows     number of customers in this block
 * @param features number of features (columns of {@code values})
 * @param firstRow zero-based ordinal of the block's first row in its file (data rows, header excluded)
 * @param ids      the customers' ids, {@code rows} of them
 */
public record FeatureBatch(float[] values, int rows, int features, long firstRow, IdColumn ids) {

    public float value(int row, int feature) {
        return values[feature * rows + row];
    }
}
