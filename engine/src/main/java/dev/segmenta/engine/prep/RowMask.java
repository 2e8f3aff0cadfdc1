package dev.segmenta.engine.prep;

/**
 * Which rows of a file (by 0-based ordinal) are kept: one bit per row, so a pass can decide once
 * and every later pass over the file applies the decision without the id table (100M rows: 12.5 MB).
 */
final class RowMask {

    private long[] bits = new long[1024];
    void set(long row) {
        int word = (int) (row >>> 6);
        if (word >= bits.length) {
            bits = java.util.Arrays.copyOf(bits, Math.max(word + 1, bits.length * 2));
        }
        bits[word] |= 1L << row;
    }

    void clear(long row) {
        int word = (int) (row >>> 6);
        if (word < bits.length) {
            bits[word] &= ~(1L << row);
        }
    }

    boolean get(long row) {
        int word = (int) (row >>> 6);
        return word < bits.length && (bits[word] & 1L << row) != 0;
    }
}
