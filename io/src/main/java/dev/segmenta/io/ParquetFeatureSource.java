package dev.segmenta.io;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.hardwood.HardwoodContext;
import dev.hardwood.InputFile;
import dev.hardwood.metadata.LogicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnProjection;
import dev.hardwood.schema.ColumnSchema;

/**
 * Feature blocks of a Parquet file, decoded in Java by Hardwood straight into the blocks' float
 * columns: Hardwood decodes the selected columns of a batch on all cores (one worker per column,
 * pages fetched ahead), and each batch's values are converted to float32 once, into the block.
 *
 * <p>Replaces Arrow's native dataset scanner for features, which took 2–3 s to start on its first
 * batch and about twice Hardwood's time overall (docs/benchmarks.md, "Reading Parquet"). What the
 * native reader needed checked before it ran is still checked: the footer ({@link ParquetFooter}),
 * codecs this build lacks, page checksums ({@link ParquetPageChecksums}: one message, naming the row
 * group and byte, for every reader of ours), and the row count at the end.
 *
 * <p>Blocks are cut at multiples of {@code blockRows} wherever Hardwood's batches end, as
 * {@link ArrowFeatureSource} cuts them, so a file's blocks do not depend on its row groups.
 */
final class ParquetFeatureSource implements FeatureSource {

    /**
     * Hardwood logs its choice of SIMD decoders at INFO on first use; a command's stderr is for its
     * own messages. Held here: a logger referenced only weakly forgets the level set on it.
     */
    private static final Logger HARDWOOD_LOG = Logger.getLogger("dev.hardwood");

    static {
        HARDWOOD_LOG.setLevel(Level.WARNING);
    }

    /** Rows per Hardwood batch at least: tiny blocks (tests use 2) would make its per-batch work dominate. */
    private static final int MIN_BATCH_ROWS = 4096;

    /** How a feature column's values become float32. */
    private enum Kind { FLOAT, DOUBLE, INT, UINT32, LONG, UINT64, FLOAT16, DECIMAL }

    private record Feature(String name, ColumnReader reader, Kind kind, int scale) { }

    private final Path file;
    private final ParquetFooter footer;
    private final FeatureColumns columns;
    private final int blockRows;
    private final ReadOptions.Missing missing;
    private final HardwoodContext context;
    private final ParquetFileReader reader;
    private final ColumnReaders batches;
    private final List<Feature> features;
    private final ColumnReader idReader;
    private final Kind idKind;

    private int batchRows;
    private int batchRow;
    private long rowsLoaded;
    private boolean exhausted;
    /** Ordinal of the next row to hand out. */
    private long nextRow;

    private ParquetFeatureSource(Path file, ParquetFooter footer, FeatureColumns columns, ReadOptions options,
                                 HardwoodContext context, ParquetFileReader reader, ColumnReaders batches) {
        this.file = file;
        this.footer = footer;
        this.columns = columns;
        this.blockRows = options.blockRows();
        this.missing = options.missing();
        this.context = context;
        this.reader = reader;
        this.batches = batches;
        this.features = new ArrayList<>();
        for (String name : columns.features()) {
            ColumnReader column = batches.getColumnReader(name);
            ColumnSchema schema = column.getColumnSchema();
            int scale = schema.logicalType() instanceof LogicalType.DecimalType d ? d.scale() : 0;
            features.add(new Feature(name, column, kind(schema), scale));
        }
        this.idReader = columns.idColumn() == null ? null : batches.getColumnReader(columns.idColumn());
        this.idKind = idReader == null ? null : switch (idReader.getColumnSchema().type()) {
            case BYTE_ARRAY -> null;
            default -> kind(idReader.getColumnSchema());
        };
    }

    static FeatureSource open(Path file, ReadOptions options) {
        ParquetFooter footer = ParquetSource.checkedFooter(file);
        HardwoodContext context = HardwoodContext.create(Runtime.getRuntime().availableProcessors());
        ParquetFileReader reader = null;
        ColumnReaders batches = null;
        try {
            try {
                reader = ParquetFileReader.open(InputFile.of(file), context);
            } catch (IOException | RuntimeException e) {
                throw unreadable(file, e);
            }
            FeatureColumns columns = FeatureColumns.resolve(file, ParquetSchemas.toArrow(reader.getFileSchema()), options);
            List<String> projection = columns.projection();
            Set<String> read = Set.copyOf(projection);
            ParquetSource.checkCodecs(file, footer, read);
            ParquetPageChecksums.verify(file, footer, read);
            try {
                batches = reader.buildColumnReaders(ColumnProjection.columns(projection.toArray(String[]::new)))
                        .batchSize(Math.max(options.blockRows(), MIN_BATCH_ROWS)).build();
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            return new ParquetFeatureSource(file, footer, columns, options, context, reader, batches);
        } catch (RuntimeException e) {
            closeAfterFailure(e, batches, reader, context);
            throw e;
        }
    }

    /** The columns {@link FeatureColumns#isNumeric} lets through, by their Parquet types. */
    private static Kind kind(ColumnSchema column) {
        LogicalType logical = column.logicalType();
        if (logical instanceof LogicalType.DecimalType) {
            return Kind.DECIMAL;
        }
        boolean unsigned = logical instanceof LogicalType.IntType i && !i.isSigned();
        return switch (column.type()) {
            case FLOAT -> Kind.FLOAT;
            case DOUBLE -> Kind.DOUBLE;
            // uint8 and uint16 arrive zero-extended; uint32 fills the int's sign bit.
            case INT32 -> unsigned && ((LogicalType.IntType) logical).bitWidth() == 32 ? Kind.UINT32 : Kind.INT;
            case INT64 -> unsigned ? Kind.UINT64 : Kind.LONG;
            case FIXED_LEN_BYTE_ARRAY -> Kind.FLOAT16;
            default -> throw new IllegalStateException("column type was checked at open: " + column);
        };
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
    public boolean hasIdColumn() {
        return columns.idColumn() != null;
    }

    /** From the footer, whose row counts {@link ParquetFooter#read} checked against its row groups. */
    @Override
    public OptionalLong rowCount() {
        return OptionalLong.of(footer.rows());
    }

    @Override
    public FeatureBatch next() {
        int featureCount = features.size();
        float[] values = new float[featureCount * blockRows];
        IdBuffer ids = new IdBuffer(columns.idType(), blockRows);
        int filled = 0;
        while (filled < blockRows && (batchRow < batchRows || loadBatch())) {
            int n = Math.min(blockRows - filled, batchRows - batchRow);
            long ordinal = nextRow + filled;
            for (int f = 0; f < featureCount; f++) {
                Feature feature = features.get(f);
                int offset = f * blockRows + filled;
                copyAsFloats(feature, batchRow, n, values, offset);
                checkValues(feature, batchRow, n, values, offset, ordinal);
            }
            appendIds(ids, batchRow, n, ordinal);
            filled += n;
            batchRow += n;
        }
        if (filled == 0) {
            return null;
        }
        float[] blockValues = filled < blockRows ? compact(values, featureCount, filled) : values;
        FeatureBatch block = new FeatureBatch(blockValues, filled, featureCount, nextRow, ids.build(filled));
        nextRow += filled;
        return block;
    }

    private boolean loadBatch() {
        if (exhausted) {
            return false;
        }
        Cancellation.check();
        try {
            while (batches.nextBatch()) {
                batchRows = batches.getRecordCount();
                batchRow = 0;
                if (batchRows > 0) {
                    rowsLoaded += batchRows;
                    return true;
                }
            }
        } catch (BadInputException | CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            Cancellation.check();
            throw unreadable(file, e);
        }
        exhausted = true;
        ParquetSource.checkRows(file, footer, rowsLoaded);
        return false;
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
                    dst[offset + k] = half == null || half.length != 2 ? Float.NaN
                            : Float.float16ToFloat((short) ((half[1] & 0xff) << 8 | half[0] & 0xff));
                }
            }
            case DECIMAL -> {
                for (int k = 0; k < count; k++) {
                    BigDecimal value = decimal(feature, from + k);
                    dst[offset + k] = value == null ? Float.NaN : value.floatValue();
                }
            }
        }
    }

    /** The decimal in row {@code row} of the batch, or {@code null} for a null. */
    private static BigDecimal decimal(Feature feature, int row) {
        ColumnReader column = feature.reader();
        if (column.getLeafValidity().isNull(row)) {
            return null;
        }
        return switch (column.getColumnSchema().type()) {
            case INT32 -> BigDecimal.valueOf(column.getInts()[row], feature.scale());
            case INT64 -> BigDecimal.valueOf(column.getLongs()[row], feature.scale());
            default -> new BigDecimal(new BigInteger(column.getBinaries()[row]), feature.scale());
        };
    }

    /** Turns nulls into NaN, then rejects what the missing-value policy does not let through. */
    private void checkValues(Feature feature, int from, int count, float[] dst, int offset, long firstOrdinal) {
        Validity validity = feature.reader().getLeafValidity();
        boolean nulls = validity.hasNulls();
        if (nulls) {
            for (int k = 0; k < count; k++) {
                if (validity.isNull(from + k)) {
                    if (missing == ReadOptions.Missing.REJECT) {
                        throw new BadInputException(at(firstOrdinal + k, feature.name())
                                + " is empty (null); remove the row or fill in the value, or impute it"
                                + " (--impute mean, median, constant or drop)");
                    }
                    dst[offset + k] = Float.NaN;
                }
            }
        }
        for (int k = 0; k < count; k++) {
            float v = dst[offset + k];
            if (Float.isFinite(v) || Float.isNaN(v) && (missing == ReadOptions.Missing.NULLS_AND_NAN
                    || missing == ReadOptions.Missing.NULLS && nulls && validity.isNull(from + k))) {
                continue;
            }
            Object original = switch (feature.kind()) {
                case DOUBLE -> feature.reader().getDoubles()[from + k];
                case DECIMAL -> decimal(feature, from + k);
                default -> v;
            };
            boolean narrowed = original instanceof Double d && Double.isFinite(d) || original instanceof BigDecimal;
            String fix = Float.isNaN(v)
                    ? "; remove the row or fill in the value, or impute it (--impute mean, median, constant or drop,"
                            + " with --nan-as-missing)"
                    : "; remove the row or fill in the value (infinities cannot be imputed)";
            throw new BadInputException(at(firstOrdinal + k, feature.name()) + (narrowed
                    ? " is " + original + ", beyond the float32 range; rescale the column"
                    : " is " + v + fix));
        }
    }

    private void appendIds(IdBuffer ids, int from, int count, long firstOrdinal) {
        if (idReader == null) {
            for (int k = 0; k < count; k++) {
                ids.append(firstOrdinal + k);
            }
            return;
        }
        Validity validity = idReader.getLeafValidity();
        int[] ints = idKind == Kind.INT || idKind == Kind.UINT32 ? idReader.getInts() : null;
        long[] longs = idKind == Kind.LONG || idKind == Kind.UINT64 ? idReader.getLongs() : null;
        byte[] text = idKind == null ? idReader.getBinaryValues() : null;
        int[] offsets = idKind == null ? idReader.getBinaryOffsets() : null;
        for (int k = 0; k < count; k++) {
            int row = from + k;
            // An empty string is as much a missing id as a null (as CSV reads an empty cell).
            if (validity.isNull(row) || offsets != null && offsets[row + 1] == offsets[row]) {
                throw new BadInputException(at(firstOrdinal + k, idReader.getColumnSchema().name())
                        + " (the id) is empty; every row needs an id");
            }
            switch (idKind) {
                case INT -> ids.append(ints[row]);
                case UINT32 -> ids.append(Integer.toUnsignedLong(ints[row]));
                case LONG -> ids.append(longs[row]);
                // uint64 ids are kept as their decimal text (see FeatureColumns.idType): never wrapped.
                case UINT64 -> ids.appendText(Long.toUnsignedString(longs[row]));
                case null -> ids.append(text, offsets[row], offsets[row + 1] - offsets[row]);
                default -> throw new IllegalStateException("id type was checked at open: " + idReader.getColumnSchema());
            }
        }
    }

    private String at(long ordinal, String column) {
        return file + ": row " + (ordinal + 1) + ", column '" + column + "'";
    }

    /** The last block is shorter: re-lays its columns at a stride of {@code rows} instead of {@code blockRows}. */
    private float[] compact(float[] values, int featureCount, int rows) {
        float[] compacted = new float[featureCount * rows];
        for (int f = 0; f < featureCount; f++) {
            System.arraycopy(values, f * blockRows, compacted, f * rows, rows);
        }
        return compacted;
    }

    /**
     * A failure of Hardwood's as one line: its innermost cause says what is wrong ("CRC mismatch for
     * column 'x'", "Unknown field type: 0"); the outer ones only where it was found.
     */
    private static BadInputException unreadable(Path file, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String reason = String.valueOf(cause.getMessage()).lines().findFirst().orElse(cause.getClass().getSimpleName());
        int named = reason.indexOf("] ");
        if (reason.startsWith("[") && named > 0) {
            reason = reason.substring(named + 2);
        }
        return new BadInputException(file + ": not a readable Parquet file (" + reason
                + "); it may be truncated or corrupt, re-export it", e);
    }

    private static void closeAfterFailure(RuntimeException failure, AutoCloseable... opened) {
        for (AutoCloseable resource : opened) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException(file + ": could not release the reader");
        closeAfterFailure(failure, batches, reader, context);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
