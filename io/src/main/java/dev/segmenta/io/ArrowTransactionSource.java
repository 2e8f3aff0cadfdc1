package dev.segmenta.io;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Arrow record batches of a transaction log as {@link TransactionBatch} blocks, for every format. */
final class ArrowTransactionSource implements TransactionSource {

    private final ArrowTable table;
    private final TransactionColumns columns;
    private final int blockRows;
    private long nextRow;
    /** Scratch for one text timestamp. */
    private byte[] text = new byte[64];

    private ArrowTransactionSource(ArrowTable table, TransactionColumns columns, int blockRows) {
        this.table = table;
        this.columns = columns;
        this.blockRows = blockRows;
    }

    static TransactionSource open(Path file, TransactionOptions options) {
        ArrowTable.Opened<TransactionColumns> opened = ArrowTable.open(file, TransactionColumns.request(options),
                options.blockRows());
        return new ArrowTransactionSource(opened.table(), opened.columns(), options.blockRows());
    }

    @Override
    public Path file() {
        return table.file();
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
        int filled = table.read(blockRows, (batch, from, n, at) -> {
            ids.appendAll(batch.getVector(columns.idColumn()), from, n, first + at, table.file());
            timestamps(batch.getVector(columns.timestampColumn()), from, n, timestamps, at, first + at);
            amounts(batch.getVector(columns.amountColumn()), from, n, amounts, at, first + at);
        });
        if (filled == 0) {
            return null;
        }
        TransactionBatch block = new TransactionBatch(ids.build(filled), timestamps, amounts, filled, nextRow);
        nextRow += filled;
        return block;
    }

    private void timestamps(FieldVector vector, int from, int count, long[] dst, int offset, long firstOrdinal) {
        for (int k = 0; k < count; k++) {
            int row = from + k;
            // CSV reads an empty text cell as "", not null.
            if (vector.isNull(row) || vector instanceof BaseVariableWidthVector v && v.getValueLength(row) == 0) {
                throw new BadInputException(at(firstOrdinal + k, vector)
                        + " (the purchase time) is empty; every transaction needs a timestamp");
            }
            dst[offset + k] = switch (vector) {
                case TimeStampVector v -> toMicros(v.get(row), ((ArrowType.Timestamp) v.getField().getType()).getUnit());
                case DateDayVector v -> micros(v.get(row), IsoTimestamps.MICROS_PER_DAY);
                case DateMilliVector v -> micros(v.get(row), 1000L);
                case BaseVariableWidthVector v -> parse(v.getDataBuffer(), v.getStartOffset(row), v.getValueLength(row),
                        vector, firstOrdinal + k);
                case BaseLargeVariableWidthVector v -> parse(v.getDataBuffer(),
                        v.getOffsetBuffer().getLong((long) row * BaseLargeVariableWidthVector.OFFSET_WIDTH),
                        v.getValueLength(row), vector, firstOrdinal + k);
                default -> throw new IllegalStateException("timestamp type was checked at open: " + vector.getField());
            };
        }
    }

    private static long toMicros(long value, org.apache.arrow.vector.types.TimeUnit unit) {
        return switch (unit) {
            case SECOND -> micros(value, 1_000_000L);
            case MILLISECOND -> micros(value, 1_000L);
            case MICROSECOND -> value;
            case NANOSECOND -> Math.floorDiv(value, 1_000L);
        };
    }

    /**
     * {@code value} units of {@code micros} each, in microseconds. One beyond about 292,000 years from
     * 1970 wrapped around to another time; it is kept at the end of the range instead, for the RFM's
     * check of absurd times to name it.
     */
    static long micros(long value, long micros) {
        try {
            return Math.multiplyExact(value, micros);
        } catch (ArithmeticException e) {
            return value < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private long parse(org.apache.arrow.memory.ArrowBuf data, long start, int length, FieldVector vector, long ordinal) {
        if (length > text.length) {
            text = new byte[length];
        }
        data.getBytes(start, text, 0, length);
        long micros = IsoTimestamps.parseMicros(text, 0, length);
        if (micros == IsoTimestamps.INVALID) {
            throw new BadInputException(at(ordinal, vector) + ": '" + new String(text, 0, length, StandardCharsets.UTF_8)
                    + "' is not " + IsoTimestamps.FORMS + "; fix the value or remove the row");
        }
        return micros;
    }

    private void amounts(FieldVector vector, int from, int count, double[] dst, int offset, long firstOrdinal) {
        for (int k = 0; k < count; k++) {
            int row = from + k;
            if (vector.isNull(row)) {
                throw CellChecks.emptyAmount(at(firstOrdinal + k, vector));
            }
            double amount = switch (vector) {
                case FloatingPointVector v -> v.getValueAsDouble(row);
                // Before BaseIntVector, whose getValueAsLong makes a uint64 of 2^63 or more a negative amount.
                case UInt8Vector v -> UnsignedLongs.toDouble(v.get(row));
                case BaseIntVector v -> v.getValueAsLong(row);
                default -> ((BigDecimal) vector.getObject(row)).doubleValue();
            };
            if (!CellChecks.isPurchase(amount)) {
                throw CellChecks.notAPurchase(at(firstOrdinal + k, vector), amount);
            }
            dst[offset + k] = amount;
        }
    }

    private String at(long ordinal, FieldVector vector) {
        return CellChecks.at(table.file(), ordinal, vector.getName());
    }

    @Override
    public void close() {
        table.close();
    }
}
