package dev.segmenta.io;

import java.util.Arrays;

import org.apache.arrow.memory.ArrowBuf;

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
        int end = offsets[size];
        if (end + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + length));
        }
        data.getBytes(start, bytes, end, length);
        offsets[++size] = end + length;
    }

    IdColumn build(int rows) {
        return longs != null ? new IdColumn.Longs(longs, rows) : new IdColumn.Utf8(bytes, offsets, rows);
    }
}
