package dev.segmenta.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;

/** Collects one block's ids without a per-row object: longs, or UTF-8 bytes with offsets. */
final class IdBuffer {

    private long[] longs;
    private byte[] bytes;
    private int[] offsets;
    private int size;

    IdBuffer(ColumnType type, int capacity) {
        if (type == ColumnType.UTF8) {
            bytes = new byte[capacity * 8];
            offsets = new int[capacity + 1];
        } else {
            longs = new long[capacity];
        }
    }

    void append(long id) {
        longs[size++] = id;
    }

    void append(ArrowBuf data, long start, int length) {
        int end = reserve(length);
        data.getBytes(start, bytes, end, length);
        offsets[++size] = end + length;
    }

    /** Appends the UTF-8 id in {@code text[start, start + length)}. */
    void append(byte[] text, int start, int length) {
        int end = reserve(length);
        System.arraycopy(text, start, bytes, end, length);
        offsets[++size] = end + length;
    }

    /** Appends an ASCII id: the decimal text of a uint64. */
    void appendText(String ascii) {
        byte[] text = ascii.getBytes(StandardCharsets.US_ASCII);
        append(text, 0, text.length);
    }

    /** Makes room for {@code length} more bytes of text; returns where they go. */
    private int reserve(int length) {
        int end = offsets[size];
        if (end + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + length));
        }
        return end;
    }

    /**
     * Appends the ids in rows {@code [from, from + count)} of an id column of the type this buffer
     * was made for; a null or empty id fails, naming its row ({@code firstOrdinal} is the 0-based
     * ordinal of row {@code from} in the file).
     */
    void appendAll(FieldVector vector, int from, int count, long firstOrdinal, Path file) {
        for (int k = 0; k < count; k++) {
            int row = from + k;
            // An empty string is as much a missing id as a null: CSV reads empty string cells as "".
            if (vector.isNull(row) || vector instanceof BaseVariableWidthVector v && v.getValueLength(row) == 0
                    || vector instanceof BaseLargeVariableWidthVector l && l.getValueLength(row) == 0) {
                throw new BadInputException(file + ": row " + (firstOrdinal + k + 1) + ", column '" + vector.getName()
                        + "' (the id) is empty; every row needs an id");
            }
            switch (vector) {
                // uint64 ids are kept as their decimal text (see FeatureColumns.idType); before BaseIntVector,
                // whose getValueAsLong would wrap those of 2^63 or more to negative numbers.
                case UInt8Vector v -> appendText(Long.toUnsignedString(v.get(row)));
                case BaseIntVector v -> append(v.getValueAsLong(row));
                case BaseVariableWidthVector v -> append(v.getDataBuffer(), v.getStartOffset(row), v.getValueLength(row));
                case BaseLargeVariableWidthVector v -> append(v.getDataBuffer(),
                        v.getOffsetBuffer().getLong((long) row * BaseLargeVariableWidthVector.OFFSET_WIDTH),
                        v.getValueLength(row));
                default -> throw new IllegalStateException("id type was checked at open: " + vector.getField());
            }
        }
    }

    IdColumn build(int rows) {
        return longs != null ? new IdColumn.Longs(longs, rows) : new IdColumn.Utf8(bytes, offsets, rows);
    }
}
