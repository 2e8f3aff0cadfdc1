package dev.segmenta.io;

import java.nio.charset.StandardCharsets;

/** Customer ids of one block: whole numbers, or strings kept as UTF-8 bytes (no per-row objects). */
public sealed interface IdColumn {

    int size();

    /** The id as text, for messages and CSV output. */
    String text(int row);

    /** Numeric ids: from an integer id column, or the row ordinal when the file has no id column. */
    record Longs(long[] values, int size) implements IdColumn {
        @Override
        public String text(int row) {
            return Long.toString(values[row]);
        }
    }

    /** String ids: row {@code i} is {@code bytes[offsets[i] .. offsets[i + 1])}. */
    record Utf8(byte[] bytes, int[] offsets, int size) implements IdColumn {
        @Override
        public String text(int row) {
            return new String(bytes, offsets[row], offsets[row + 1] - offsets[row], StandardCharsets.UTF_8);
        }
    }
}
