package dev.segmenta.io;

import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The one place where Arrow record batches become {@link FeatureBatch} blocks, for every format.
 *
 * <p>Blocks are cut at multiples of {@code blockRows} regardless of where Arrow's batches end:
 * a block is filled from as many batches as it takes, so the blocking (and with it the engine's
 * deterministic block-ordered sums) is the same for a file written with any row-group size.
 */
final class ArrowFeatureSource implements FeatureSource {

    private final ArrowTable table;
    private final FeatureColumns columns;
    private final int blockRows;
    private final ReadOptions.Missing missing;
    /** Ordinal of the next row to hand out. */
    private long nextRow;

    private ArrowFeatureSource(ArrowTable table, FeatureColumns columns, ReadOptions options) {
        this.table = table;
        this.columns = columns;
        this.blockRows = options.blockRows();
        this.missing = options.missing();
    }

    static FeatureSource open(Path file, ReadOptions options) {
        ArrowTable.Opened<FeatureColumns> opened = ArrowTable.open(file, FeatureColumns.request(options),
                options.blockRows());
        return new ArrowFeatureSource(opened.table(), opened.columns(), options);
    }

    @Override
    public Path file() {
        return table.file();
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
    public boolean hasIdColumn() {
        return columns.idColumn() != null;
    }

    @Override
    public OptionalLong rowCount() {
        return table.rowCount();
    }

    @Override
    public FeatureBatch next() {
        int featureCount = columns.features().size();
        float[] values = new float[featureCount * blockRows];
        IdBuffer ids = new IdBuffer(columns.idType(), blockRows);
        long first = nextRow;
        int filled = table.read(blockRows, (batch, from, n, at) -> {
            for (int f = 0; f < featureCount; f++) {
                FieldVector vector = batch.getVector(columns.features().get(f));
                int offset = f * blockRows + at;
                copyAsFloats(vector, from, n, values, offset);
                checkValues(vector, from, n, values, offset, first + at);
            }
            appendIds(ids, batch, from, n, first + at);
        });
        if (filled == 0) {
            return null;
        }
        float[] blockValues = filled < blockRows ? CellChecks.compact(values, featureCount, blockRows, filled) : values;
        FeatureBatch block = new FeatureBatch(blockValues, filled, featureCount, nextRow, ids.build(filled));
        nextRow += filled;
        return block;
    }

    @Override
    public void close() {
        table.close();
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
            // Before BaseIntVector: its getValueAsLong gives a uint64 of 2^63 or more as a negative long.
            case UInt8Vector v -> {
                boolean nulls = vector.getNullCount() > 0;
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = nulls && v.isNull(from + k) ? Float.NaN : UnsignedLongs.toFloat(v.get(from + k));
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

    /** Turns nulls into NaN, then rejects what the missing-value policy does not let through. */
    private void checkValues(FieldVector vector, int from, int count, float[] dst, int offset, long firstOrdinal) {
        boolean nulls = vector.getNullCount() > 0;
        if (nulls) {
            for (int k = 0; k < count; k++) {
                if (vector.isNull(from + k)) {
                    if (missing == ReadOptions.Missing.REJECT) {
                        throw CellChecks.nullFeature(at(firstOrdinal + k, vector));
                    }
                    dst[offset + k] = Float.NaN;
                }
            }
        }
        for (int k = 0; k < count; k++) {
            float v = dst[offset + k];
            if (CellChecks.acceptable(v, missing, nulls && vector.isNull(from + k))) {
                continue;
            }
            Object original = vector.getObject(from + k);
            boolean narrowed = original instanceof Double d && Double.isFinite(d) || original instanceof BigDecimal;
            throw CellChecks.badFeature(at(firstOrdinal + k, vector), v, narrowed ? original : null);
        }
    }

    private void appendIds(IdBuffer ids, VectorSchemaRoot batch, int from, int count, long firstOrdinal) {
        if (columns.idColumn() == null) {
            for (int k = 0; k < count; k++) {
                ids.append(firstOrdinal + k);
            }
            return;
        }
        ids.appendAll(batch.getVector(columns.idColumn()), from, count, firstOrdinal, table.file());
    }

    private String at(long ordinal, FieldVector vector) {
        return CellChecks.at(table.file(), ordinal, vector.getName());
    }
}
