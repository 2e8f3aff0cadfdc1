package dev.segmenta.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import dev.hardwood.metadata.LogicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.Validity;

/**
 * Feature blocks of a Parquet file, read by {@link ParquetScan} (Hardwood) straight into the blocks'
 * float columns: each batch's values are converted to float32 once, into the block, and checked there
 * with the same messages as {@link ArrowFeatureSource}'s.
 *
 * <p>Replaces Arrow's native dataset scanner for features, which took seconds to its first batch
 * and about twice Hardwood's time overall (docs/benchmarks.md, "Reading Parquet").
 */
final class ParquetFeatureSource implements FeatureSource {

    private record Feature(String name, ColumnReader reader, ParquetScan.Kind kind, int scale) { }

    private final ParquetScan scan;
    private final FeatureColumns columns;
    private final int blockRows;
    private final ReadOptions.Missing missing;
    private final List<Feature> features = new ArrayList<>();
    private final ColumnReader idReader;
    /** The decoder of flat numeric files, or {@code null} where Hardwood reads this one. */
    private final ParquetRowGroups rowGroups;
    private ParquetRowGroups.Decoded group;
    private int groupRow;
    /** Ordinal of the next row to hand out. */
    private long nextRow;

    private ParquetFeatureSource(ParquetScan scan, FeatureColumns columns, ReadOptions options,
                                 ParquetRowGroups rowGroups) {
        this.scan = scan;
        this.columns = columns;
        this.blockRows = options.blockRows();
        this.missing = options.missing();
        this.rowGroups = rowGroups;
        if (rowGroups != null) {
            this.idReader = null;
            return;
        }
        for (String name : columns.features()) {
            ColumnReader column = scan.column(name);
            int scale = column.getColumnSchema().logicalType() instanceof LogicalType.DecimalType d ? d.scale() : 0;
            features.add(new Feature(name, column, ParquetScan.kind(column.getColumnSchema()), scale));
        }
        this.idReader = columns.idColumn() == null ? null : scan.column(columns.idColumn());
    }

    /** Opens {@code file}, which passed {@link ArrowTable#checkFile}. */
    static FeatureSource open(Path file, ReadOptions options) {
        ParquetScan.Opened<FeatureColumns> opened = ParquetScan.open(file, FeatureColumns.request(options),
                options.blockRows());
        try {
            ParquetRowGroups rowGroups = ParquetRowGroups.open(opened.scan(), opened.columns().features(),
                    opened.columns().idColumn());
            return new ParquetFeatureSource(opened.scan(), opened.columns(), options, rowGroups);
        } catch (RuntimeException e) {
            try {
                opened.scan().close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public Path file() {
        return scan.file();
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
        return OptionalLong.of(scan.rows());
    }

    @Override
    public FeatureBatch next() {
        if (rowGroups != null) {
            return nextDecoded();
        }
        int featureCount = features.size();
        float[] values = new float[featureCount * blockRows];
        IdBuffer ids = new IdBuffer(columns.idType(), blockRows);
        long first = nextRow;
        int filled = scan.read(blockRows, (from, n, at) -> {
            for (int f = 0; f < featureCount; f++) {
                Feature feature = features.get(f);
                int offset = f * blockRows + at;
                copyAsFloats(feature, from, n, values, offset);
                checkValues(feature, from, n, values, offset, first + at);
            }
            if (idReader == null) {
                for (int k = 0; k < n; k++) {
                    ids.append(first + at + k);
                }
            } else {
                scan.appendIds(ids, idReader, from, n, first + at);
            }
        });
        if (filled == 0) {
            return null;
        }
        float[] blockValues = filled < blockRows ? CellChecks.compact(values, featureCount, blockRows, filled) : values;
        FeatureBatch block = new FeatureBatch(blockValues, filled, featureCount, nextRow, ids.build(filled));
        nextRow += filled;
        return block;
    }

    /** The next block from {@link ParquetRowGroups}: the decoded row groups' columns copied into it, checked. */
    private FeatureBatch nextDecoded() {
        Cancellation.check();
        int featureCount = columns.features().size();
        float[] values = new float[featureCount * blockRows];
        long[] ids = new long[blockRows];
        int filled = 0;
        while (filled < blockRows) {
            if (group == null || groupRow >= group.rows()) {
                group = rowGroups.next();
                groupRow = 0;
                if (group == null) {
                    break;
                }
                continue;
            }
            int n = Math.min(blockRows - filled, group.rows() - groupRow);
            long ordinal = nextRow + filled;
            for (int f = 0; f < featureCount; f++) {
                ParquetPageDecoder.Target target = group.features()[f];
                int offset = f * blockRows + filled;
                System.arraycopy(target.floats, groupRow, values, offset, n);
                checkDecoded(columns.features().get(f), target, groupRow, n, values, offset, ordinal);
            }
            if (group.ids() != null) {
                System.arraycopy(group.ids(), groupRow, ids, filled, n);
            } else {
                for (int k = 0; k < n; k++) {
                    ids[filled + k] = ordinal + k;
                }
            }
            filled += n;
            groupRow += n;
        }
        if (filled == 0) {
            return null;
        }
        float[] blockValues = filled < blockRows ? CellChecks.compact(values, featureCount, blockRows, filled) : values;
        FeatureBatch block = new FeatureBatch(blockValues, filled, featureCount, nextRow,
                new IdColumn.Longs(filled < blockRows ? Arrays.copyOf(ids, filled) : ids, filled));
        nextRow += filled;
        return block;
    }

    /** {@link #checkValues} for a decoded row group's column: its nulls are a bit set, its narrowed double remembered. */
    private void checkDecoded(String name, ParquetPageDecoder.Target target, int from, int count, float[] dst,
                              int offset, long firstOrdinal) {
        boolean nulls = !target.nulls.isEmpty();
        if (nulls && missing == ReadOptions.Missing.REJECT) {
            int row = target.nulls.nextSetBit(from);
            if (row >= 0 && row < from + count) {
                throw CellChecks.nullFeature(at(firstOrdinal + row - from, name));
            }
        }
        for (int k = 0; k < count; k++) {
            float v = dst[offset + k];
            if (CellChecks.acceptable(v, missing, nulls && target.nulls.get(from + k))) {
                continue;
            }
            boolean narrowed = target.narrowedRow == from + k;
            throw CellChecks.badFeature(at(firstOrdinal + k, name), v, narrowed ? target.narrowedValue : null);
        }
    }

    /** Converts {@code count} values from row {@code from} of the batch to float32; nulls are left for {@link #checkValues}. */
    private static void copyAsFloats(Feature feature, int from, int count, float[] dst, int offset) {
        ColumnReader column = feature.reader();
        switch (feature.kind()) {
            case FLOAT -> System.arraycopy(column.getFloats(), from, dst, offset, count);
            case DOUBLE -> {
                double[] doubles = column.getDoubles();
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = (float) doubles[from + k];
                }
            }
            case INT -> {
                int[] ints = column.getInts();
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = ints[from + k];
                }
            }
            case UINT32 -> {
                int[] ints = column.getInts();
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = Integer.toUnsignedLong(ints[from + k]);
                }
            }
            case LONG -> {
                long[] longs = column.getLongs();
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = longs[from + k];
                }
            }
            case UINT64 -> {
                long[] longs = column.getLongs();
                for (int k = 0; k < count; k++) {
                    dst[offset + k] = UnsignedLongs.toFloat(longs[from + k]);
                }
            }
            case FLOAT16 -> {
                byte[][] halves = column.getBinaries();
                for (int k = 0; k < count; k++) {
                    byte[] half = halves[from + k];
                    dst[offset + k] = half == null || half.length != 2 ? Float.NaN : CellChecks.float16(half);
                }
            }
            case DECIMAL -> {
                for (int k = 0; k < count; k++) {
                    BigDecimal value = decimal(feature, from + k);
                    dst[offset + k] = value == null ? Float.NaN : value.floatValue();
                }
            }
            default -> throw new IllegalStateException("column type was checked at open: " + column.getColumnSchema());
        }
    }

    /** The decimal in row {@code row} of the batch, or {@code null} for a null. */
    static BigDecimal decimal(ColumnReader column, int scale, int row) {
        if (column.getLeafValidity().isNull(row)) {
            return null;
        }
        return switch (column.getColumnSchema().type()) {
            case INT32 -> BigDecimal.valueOf(column.getInts()[row], scale);
            case INT64 -> BigDecimal.valueOf(column.getLongs()[row], scale);
            default -> new BigDecimal(new BigInteger(column.getBinaries()[row]), scale);
        };
    }

    private static BigDecimal decimal(Feature feature, int row) {
        return decimal(feature.reader(), feature.scale(), row);
    }

    /** Turns nulls into NaN, then rejects what the missing-value policy does not let through. */
    private void checkValues(Feature feature, int from, int count, float[] dst, int offset, long firstOrdinal) {
        Validity validity = feature.reader().getLeafValidity();
        boolean nulls = validity.hasNulls();
        if (nulls) {
            for (int k = 0; k < count; k++) {
                if (validity.isNull(from + k)) {
                    if (missing == ReadOptions.Missing.REJECT) {
                        throw CellChecks.nullFeature(at(firstOrdinal + k, feature.name()));
                    }
                    dst[offset + k] = Float.NaN;
                }
            }
        }
        for (int k = 0; k < count; k++) {
            float v = dst[offset + k];
            if (CellChecks.acceptable(v, missing, nulls && validity.isNull(from + k))) {
                continue;
            }
            Object original = switch (feature.kind()) {
                case DOUBLE -> feature.reader().getDoubles()[from + k];
                case DECIMAL -> decimal(feature, from + k);
                default -> v;
            };
            boolean narrowed = original instanceof Double d && Double.isFinite(d) || original instanceof BigDecimal;
            throw CellChecks.badFeature(at(firstOrdinal + k, feature.name()), v, narrowed ? original : null);
        }
    }

    private String at(long ordinal, String column) {
        return CellChecks.at(scan.file(), ordinal, column);
    }

    @Override
    public void close() {
        try {
            if (rowGroups != null) {
                rowGroups.close();
            }
        } finally {
            scan.close();
        }
    }
}
