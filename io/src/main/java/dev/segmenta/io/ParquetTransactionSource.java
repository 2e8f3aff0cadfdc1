package dev.segmenta.io;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.hardwood.metadata.LogicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnSchema;

/**
 * A Parquet transaction log read by {@link ParquetScan} (Hardwood) into {@link TransactionBatch}
 * blocks, with the same conversions and messages as {@link ArrowTransactionSource}'s.
 */
final class ParquetTransactionSource implements TransactionSource {

    /** Days from the Julian day count's epoch to 1970-01-01, for INT96 timestamps. */
    private static final long JULIAN_DAY_OF_1970 = 2_440_588L;

    private final ParquetScan scan;
    private final TransactionColumns columns;
    private final int blockRows;
    private final ColumnReader idReader;
    private final ColumnReader timestampReader;
    private final ColumnReader amountReader;
    private final ParquetScan.Kind amountKind;
    private final int amountScale;
    private long nextRow;

    private ParquetTransactionSource(ParquetScan scan, TransactionColumns columns, int blockRows) {
        this.scan = scan;
        this.columns = columns;
        this.blockRows = blockRows;
        this.idReader = scan.column(columns.idColumn());
        this.timestampReader = scan.column(columns.timestampColumn());
        this.amountReader = scan.column(columns.amountColumn());
        this.amountKind = ParquetScan.kind(amountReader.getColumnSchema());
        this.amountScale = amountReader.getColumnSchema().logicalType() instanceof LogicalType.DecimalType d ? d.scale() : 0;
    }

    /** Opens {@code file}, which passed {@link ArrowTable#checkFile}. */
    static TransactionSource open(Path file, TransactionOptions options) {
        ParquetScan.Opened<TransactionColumns> opened = ParquetScan.open(file, TransactionColumns.request(options),
                options.blockRows());
        return new ParquetTransactionSource(opened.scan(), opened.columns(), options.blockRows());
    }

    @Override
    public Path file() {
        return scan.file();
    }

    @Override
    public ColumnType idType() {
        return columns.idType();
    }

    @Override
    public TransactionBatch next() {
        IdBuffer ids = new IdBuffer(columns.idType(), blockRows);
        long[] timestamps = new long[blockRows];
        double[] amounts = new double[blockRows];
        long first = nextRow;
        int filled = scan.read(blockRows, (from, n, at) -> {
            scan.appendIds(ids, idReader, from, n, first + at);
            timestamps(from, n, timestamps, at, first + at);
            amounts(from, n, amounts, at, first + at);
        });
        if (filled == 0) {
            return null;
        }
        TransactionBatch block = new TransactionBatch(ids.build(filled), timestamps, amounts, filled, nextRow);
        nextRow += filled;
        return block;
    }

    /** Microseconds since 1970 from a TIMESTAMP (any unit), DATE, INT96 or ISO-8601 text column. */
    private void timestamps(int from, int count, long[] dst, int offset, long firstOrdinal) {
        ColumnSchema schema = timestampReader.getColumnSchema();
        Validity validity = timestampReader.getLeafValidity();
        byte[] text = null;
        int[] offsets = null;
        long[] longs = null;
        int[] ints = null;
        byte[][] int96 = null;
        switch (schema.type()) {
            case BYTE_ARRAY -> {
                text = timestampReader.getBinaryValues();
                offsets = timestampReader.getBinaryOffsets();
            }
            case INT64 -> longs = timestampReader.getLongs();
            case INT32 -> ints = timestampReader.getInts();
            case INT96 -> int96 = timestampReader.getBinaries();
            default -> throw new IllegalStateException("timestamp type was checked at open: " + schema);
        }
        long unit = schema.logicalType() instanceof LogicalType.TimestampType t ? switch (t.unit()) {
            case MILLIS -> 1_000L;
            case MICROS -> 1L;
            case NANOS -> -1_000L;
        } : 1L;
        for (int k = 0; k < count; k++) {
            int row = from + k;
            if (validity.isNull(row) || offsets != null && offsets[row + 1] == offsets[row]) {
                throw new BadInputException(at(firstOrdinal + k, schema.name())
                        + " (the purchase time) is empty; every transaction needs a timestamp");
            }
            if (text != null) {
                dst[offset + k] = parse(text, offsets[row], offsets[row + 1] - offsets[row], schema.name(), firstOrdinal + k);
            } else if (longs != null) {
                dst[offset + k] = unit < 0 ? Math.floorDiv(longs[row], -unit) : ArrowTransactionSource.micros(longs[row], unit);
            } else if (ints != null) {
                dst[offset + k] = ArrowTransactionSource.micros(ints[row], IsoTimestamps.MICROS_PER_DAY);
            } else {
                dst[offset + k] = int96Micros(int96[row]);
            }
        }
    }

    /** An INT96 timestamp: nanoseconds of the day (8 bytes), then the Julian day (4 bytes), little-endian. */
    private static long int96Micros(byte[] value) {
        ByteBuffer bytes = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        long nanos = bytes.getLong(0);
        long day = Integer.toUnsignedLong(bytes.getInt(8)) - JULIAN_DAY_OF_1970;
        return ArrowTransactionSource.micros(day, IsoTimestamps.MICROS_PER_DAY) + Math.floorDiv(nanos, 1_000L);
    }

    private long parse(byte[] text, int start, int length, String column, long ordinal) {
        long micros = IsoTimestamps.parseMicros(text, start, length);
        if (micros == IsoTimestamps.INVALID) {
            throw new BadInputException(at(ordinal, column) + ": '" + new String(text, start, length, StandardCharsets.UTF_8)
                    + "' is not " + IsoTimestamps.FORMS + "; fix the value or remove the row");
        }
        return micros;
    }

    private void amounts(int from, int count, double[] dst, int offset, long firstOrdinal) {
        String name = amountReader.getColumnSchema().name();
        Validity validity = amountReader.getLeafValidity();
        for (int k = 0; k < count; k++) {
            int row = from + k;
            if (validity.isNull(row)) {
                throw CellChecks.emptyAmount(at(firstOrdinal + k, name));
            }
            double amount = switch (amountKind) {
                case FLOAT -> amountReader.getFloats()[row];
                case DOUBLE -> amountReader.getDoubles()[row];
                case INT -> amountReader.getInts()[row];
                case UINT32 -> Integer.toUnsignedLong(amountReader.getInts()[row]);
                case LONG -> amountReader.getLongs()[row];
                case UINT64 -> UnsignedLongs.toDouble(amountReader.getLongs()[row]);
                case FLOAT16 -> CellChecks.float16(amountReader.getBinaries()[row]);
                case DECIMAL -> {
                    BigDecimal value = ParquetFeatureSource.decimal(amountReader, amountScale, row);
                    yield value.doubleValue();
                }
                default -> throw new IllegalStateException("amount type was checked at open: " + amountReader.getColumnSchema());
            };
            if (!CellChecks.isPurchase(amount)) {
                throw CellChecks.notAPurchase(at(firstOrdinal + k, name), amount);
            }
            dst[offset + k] = amount;
        }
    }

    private String at(long ordinal, String column) {
        return CellChecks.at(scan.file(), ordinal, column);
    }

    @Override
    public void close() {
        scan.close();
    }
}
