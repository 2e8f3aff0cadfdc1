package dev.segmenta.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * The one place where Arrow record batches become {@link FeatureBatch} blocks, for every format.
 * Subclasses open an {@link ArrowReader} over their format and translate its failures.
 *
 * <p>Blocks are cut at multiples of {@code blockRows} regardless of where Arrow's batches end:
 * a block is filled from as many batches as it takes, so the blocking (and with it the engine's
 * deterministic block-ordered sums) is the same for a file written with any row-group size.
 */
abstract sealed class ArrowFeatureSource implements FeatureSource permits ParquetSource, ArrowIpcSource, CsvSource {

    private final Path file;
    private final FeatureColumns columns;
    private final int blockRows;
    private final boolean rejectNonFinite;
    private final ArrowReader reader;
    /** Closed after the reader, in this order (scanner, dataset, channel, allocator). */
    private final List<AutoCloseable> resources;

    private VectorSchemaRoot batch;
    private int batchRow;
    private boolean exhausted;
    /** Ordinal of the next row to hand out. */
    private long nextRow;

    ArrowFeatureSource(Path file, FeatureColumns columns, ReadOptions options, ArrowReader reader,
                       List<AutoCloseable> resources) {
        this.file = file;
        this.columns = columns;
        this.blockRows = options.blockRows();
        this.rejectNonFinite = options.rejectNonFinite();
        this.reader = reader;
        this.resources = resources;
    }

    /** Translates a failure of the reader while decoding batches (a corrupt page, a bad CSV cell). */
    abstract BadInputException decodeFailure(Exception failure);

    /**
     * Loads the first batch, so that a corrupt or empty file fails at open rather than at the first
     * block; closes the source if it does.
     */
    static <S extends ArrowFeatureSource> S started(S source) {
        ArrowFeatureSource base = source;
        try {
            if (!base.loadBatch()) {
                throw new BadInputException(base.file + ": has no data rows; give a file with at least one row");
            }
            return source;
        } catch (RuntimeException e) {
            closeAfterFailure(e, source);
            throw e;
        }
    }

    /** Closes what an open created before it failed, keeping the original failure as the one thrown. */
    static void closeAfterFailure(RuntimeException failure, AutoCloseable... opened) {
        try {
            AutoCloseables.close(opened);
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public List<String> featureNames() {
        return columns.features();
    }

    @Override
    public ColumnType idType() {
        return columns.idType();
    }

    @Override
    public FeatureBatch next() {
        int featureCount = columns.features().size();
        float[] values = new float[featureCount * blockRows];
        IdBuffer ids = new IdBuffer(columns.idType(), blockRows);
        int filled = 0;
        while (filled < blockRows && (batchRow < batch.getRowCount() || loadBatch())) {
            int n = Math.min(blockRows - filled, batch.getRowCount() - batchRow);
            for (int f = 0; f < featureCount; f++) {
                FieldVector vector = batch.getVector(columns.features().get(f));
                int offset = f * blockRows + filled;
                copyAsFloats(vector, batchRow, n, values, offset);
                checkValues(vector, n, values, offset, nextRow + filled);
            }
            appendIds(ids, n, nextRow + filled);
            filled += n;
            batchRow += n;
        }
        if (filled == 0) {
            return null;
        }
        if (filled < blockRows) {
            values = compact(values, featureCount, filled);
        }
        FeatureBatch block = new FeatureBatch(values, filled, featureCount, nextRow, ids.build(filled));
        nextRow += filled;
        return block;
    }

    @Override
    public void close() {
        try {
            AutoCloseables.close(reader);
            AutoCloseables.close(resources);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(file + ": could not release the reader", e);
        }
    }

    /** Moves to the next non-empty batch; {@code false} at the end of the file. */
    private boolean loadBatch() {
        if (exhausted) {
            return false;
        }
        try {
            while (reader.loadNextBatch()) {
                batch = reader.getVectorSchemaRoot();
                batchRow = 0;
                if (batch.getRowCount() > 0) {
                    checkLayout(batch);
                    return true;
                }
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw decodeFailure(e);
        }
        exhausted = true;
        return false;
    }

    /**
     * Checks that every column read has one value per row of the batch and buffers that hold them
     * (and, for string ids, offsets inside the data), so that a corrupt file fails here instead of
     * being read past its buffers. Costs a look at each buffer's size, plus one pass over string ids.
     */
    private void checkLayout(VectorSchemaRoot root) {
        for (String name : columns.projection()) {
            FieldVector vector = root.getVector(name);
            if (vector.getValueCount() != root.getRowCount()) {
                throw new IllegalStateException("column '" + name + "' has " + vector.getValueCount()
                        + " values in a batch of " + root.getRowCount() + " rows");
            }
            if (name.equals(columns.idColumn())) {
                ValueVectorUtility.validateFull(vector);
            } else {
                ValueVectorUtility.validate(vector);
            }
        }
    }

    /** Converts {@code count} values from row {@code from} to float32; nulls are left for {@link #checkValues}. */
    private static void copyAsFloats(FieldVector vector, int from, int count, float[] dst, int offset) {
        switch (vector) {
            case Float4Vector v -> v.getDataBuffer().nioBuffer((long) from * Float.BYTES, count * Float.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, offset, count);
            case Float8Vector v -> {
                var doubles = v.getDataBuffer().nioBuffer((long) from * Double.BYTES, count * Double.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = (float) doubles.get(k);
                }
            }
            // Reading a null slot through these accessors throws (Arrow checks nulls by default), so
            // nulls become NaN here and are reported by checkValues with their row.
            case FloatingPointVector v -> {
                boolean nulls = vector.getNullCount() > 0;
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = nulls && v.isNull(from + k) ? Float.NaN : (float) v.getValueAsDouble(from + k);
                }
            }
            case BaseIntVector v -> {
                boolean nulls = vector.getNullCount() > 0;
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = nulls && v.isNull(from + k) ? Float.NaN : v.getValueAsLong(from + k);
                }
            }
            case DecimalVector v -> copyDecimals(v, from, count, dst, offset);
            case Decimal256Vector v -> copyDecimals(v, from, count, dst, offset);
            case NullVector v -> Arrays.fill(dst, offset, offset + count, Float.NaN);
            default -> throw new IllegalStateException("column type was checked at open: " + vector.getField());
        }
    }

    private static void copyDecimals(FieldVector vector, int from, int count, float[] dst, int offset) {
        for (int k = 0; k < count; k++) {
            BigDecimal value = (BigDecimal) vector.getObject(from + k);
            dst[offset + k] = value == null ? Float.NaN : value.floatValue();
        }
    }

    /** Turns nulls into NaN, then rejects non-finite values unless the options allow them. */
    private void checkValues(FieldVector vector, int count, float[] dst, int offset, long firstOrdinal) {
        if (vector.getNullCount() > 0) {
            for (int k = 0; k < count; k++) {
                if (vector.isNull(batchRow + k)) {
                    if (rejectNonFinite) {
                        // CSV reads NaN, NA, NULL and empty cells alike as null.
                        throw new BadInputException(at(firstOrdinal + k, vector)
                                + " is missing (empty, null or NaN); remove the row or fill in the value");
                    }
                    dst[offset + k] = Float.NaN;
                }
            }
        }
        if (!rejectNonFinite) {
            return;
        }
        for (int k = 0; k < count; k++) {
            if (!Float.isFinite(dst[offset + k])) {
                Object original = vector.getObject(batchRow + k);
                boolean narrowed = original instanceof Double d && Double.isFinite(d) || original instanceof BigDecimal;
                throw new BadInputException(at(firstOrdinal + k, vector) + (narrowed
                        ? " is " + original + ", beyond the float32 range; rescale the column"
                        : " is " + dst[offset + k] + "; remove the row or fill in the value"));
            }
        }
    }

    private void appendIds(IdBuffer ids, int count, long firstOrdinal) {
        if (columns.idColumn() == null) {
            for (int k = 0; k < count; k++) {
                ids.append(firstOrdinal + k);
            }
            return;
        }
        FieldVector vector = batch.getVector(columns.idColumn());
        for (int k = 0; k < count; k++) {
            int row = batchRow + k;
            // An empty string is as much a missing id as a null: CSV reads empty string cells as "".
            if (vector.isNull(row) || vector instanceof BaseVariableWidthVector v && v.getValueLength(row) == 0
                    || vector instanceof BaseLargeVariableWidthVector l && l.getValueLength(row) == 0) {
                throw new BadInputException(at(firstOrdinal + k, vector) + " (the id) is empty; every row needs an id");
            }
            switch (vector) {
                case BaseIntVector v -> ids.append(v.getValueAsLong(row));
                case BaseVariableWidthVector v ->
                        ids.append(v.getDataBuffer(), v.getStartOffset(row), v.getValueLength(row));
                case BaseLargeVariableWidthVector v -> ids.append(v.getDataBuffer(),
                        v.getOffsetBuffer().getLong((long) row * BaseLargeVariableWidthVector.OFFSET_WIDTH),
                        v.getValueLength(row));
                default -> throw new IllegalStateException("id type was checked at open: " + vector.getField());
            }
        }
    }

    private String at(long ordinal, FieldVector vector) {
        return file + ": row " + (ordinal + 1) + ", column '" + vector.getName() + "'";
    }

    /** The last block is shorter: re-lays its columns at a stride of {@code rows} instead of {@code blockRows}. */
    private float[] compact(float[] values, int featureCount, int rows) {
        float[] compacted = new float[featureCount * rows];
        for (int f = 0; f < featureCount; f++) {
            System.arraycopy(values, f * blockRows, compacted, f * rows, rows);
        }
        return compacted;
    }
}
