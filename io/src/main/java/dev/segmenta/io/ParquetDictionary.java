package dev.segmenta.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One column chunk dictionary-encoded, as {@link ParquetTableWriter} writes it: the chunk's distinct
 * values in first-seen order, PLAIN-encoded as its dictionary page holds them, and each row's index
 * into them, which its data pages hold in the RLE/bit-packing hybrid (RLE_DICTIONARY).
 *
 * <p>{@link #of} gives one only where it makes the chunk smaller than PLAIN, as parquet-mr and
 * pyarrow decide: it gives up once the dictionary page would pass {@value #MAX_BYTES} bytes (their
 * default dictionary page limit), and, like parquet-mr after its first page, when the first
 * {@value #TRIAL_ROWS} rows would not be smaller encoded than plain (ids, measurements), so that a
 * column of distinct values costs a short trial rather than a dictionary of the whole chunk. Where
 * they go on with PLAIN pages after such a fallback, the whole chunk is PLAIN here: the writer holds
 * the chunk's values, so it decides before it writes any page.
 */
final class ParquetDictionary {

    /** The largest dictionary page, in bytes of PLAIN values. */
    static final int MAX_BYTES = 1 << 20;
    /**
     * Rows after which a dictionary that does not pay for itself yet is given up. Few enough that
     * string ids, distinct in every row, cost a small part of a 16,384-row block (8,192 took a third
     * of the write); enough that a column of even a few hundred labels pays by then.
     */
    static final int TRIAL_ROWS = 1024;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] plain;
    private final int plainBytes;
    private final int size;
    private final int[] indices;
    private final int bitWidth;

    private ParquetDictionary(byte[] plain, int plainBytes, int size, int[] indices) {
        this.plain = plain;
        this.plainBytes = plainBytes;
        this.size = size;
        this.indices = indices;
        this.bitWidth = bitWidth(size);
    }

    /**
     * The dictionary of the first {@code count} values of {@code column} ({@code int[]} or
     * {@link IdColumn.Utf8}), or null where PLAIN is as small or the dictionary would be too large;
     * null for other columns too: Segmenta's int64 and floating-point columns are ids and
     * measurements, rarely repeated within a block.
     */
    static ParquetDictionary of(Object column, int count) {
        return switch (column) {
            case int[] a -> ints(a, count);
            case IdColumn.Utf8 a -> text(a, count);
            default -> null;
        };
    }

    /** Distinct values in the dictionary page. */
    int size() {
        return size;
    }

    /** Puts the dictionary page's values (PLAIN) into {@code page}. */
    void putDictionary(ByteBuffer page) {
        page.put(plain, 0, plainBytes);
    }

    /**
     * Puts the indices of rows {@code [from, from + count)} into {@code page} as a data page of
     * RLE_DICTIONARY holds them: a byte of bit width, then runs of the hybrid encoding. A run of 8 or
     * more equal indices is one RLE run; the rest is bit-packed in groups of 8, the last group padded
     * (the page header's value count says where the values end). Takes under 5 bytes an index even
     * at 32 bits (run headers included).
     */
    void putIndices(int from, int count, ByteBuffer page) {
        page.put((byte) bitWidth);
        int end = from + count;
        int i = from;
        while (i < end) {
            int run = runLength(i, end);
            if (run >= 8) {
                varint(page, run << 1);
                for (int b = 0; b < bitWidth; b += 8) {
                    page.put((byte) (indices[i] >>> b));
                }
                i += run;
            } else {
                int start = i;
                do {
                    i += 8;
                } while (i < end && runLength(i, end) < 8);
                i = Math.min(i, end);
                int groups = (i - start + 7) / 8;
                varint(page, groups << 1 | 1);
                bitPack(start, i, groups, page);
            }
        }
    }

    private int runLength(int from, int end) {
        int value = indices[from];
        int i = from + 1;
        while (i < end && indices[i] == value) {
            i++;
        }
        return i - from;
    }

    /** Packs indices {@code [from, to)}, then zeros to fill {@code groups} groups of 8, lowest bits first. */
    private void bitPack(int from, int to, int groups, ByteBuffer page) {
        long buffer = 0;
        int bits = 0;
        for (int i = from, stop = from + groups * 8; i < stop; i++) {
            buffer |= (i < to ? indices[i] & 0xffffffffL : 0) << bits;
            bits += bitWidth;
            while (bits >= 8) {
                page.put((byte) buffer);
                buffer >>>= 8;
                bits -= 8;
            }
        }
    }

    private static void varint(ByteBuffer page, int value) {
        while ((value & ~0x7f) != 0) {
            page.put((byte) (value & 0x7f | 0x80));
            value >>>= 7;
        }
        page.put((byte) value);
    }

    /**
     * Bits per index: enough for {@code size - 1}, and at least 1 (0 is valid Parquet for a single
     * value, but not every reader takes it; such a chunk is one RLE run either way).
     */
    private static int bitWidth(int size) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
    }

    /** Whether {@code rows} rows cost fewer bytes as this dictionary and their indices than as {@code plainRows} bytes. */
    private static boolean pays(int dictionaryBytes, int size, int rows, long plainRows) {
        return dictionaryBytes + (long) rows * bitWidth(size) / 8 < plainRows;
    }

    private static ParquetDictionary ints(int[] a, int count) {
        int[] indices = new int[count];
        Slots slots = new Slots();
        int[] values = new int[16];
        int size = 0;
        for (int i = 0; i < count; i++) {
            int v = a[i];
            int slot = slots.first(v);
            int entry = slots.entry(slot);
            while (entry >= 0 && values[entry] != v) {
                slot = slots.next(slot);
                entry = slots.entry(slot);
            }
            if (entry < 0) {
                entry = size++;
                if (entry == values.length) {
                    values = Arrays.copyOf(values, entry * 2);
                }
                values[entry] = v;
                slots.add(slot, entry, v);
            }
            indices[i] = entry;
            if (4L * size > MAX_BYTES || i + 1 == TRIAL_ROWS && !pays(4 * size, size, i + 1, 4L * (i + 1))) {
                return null;
            }
        }
        if (!pays(4 * size, size, count, 4L * count)) {
            return null;
        }
        ByteBuffer plain = ByteBuffer.allocate(4 * size).order(ByteOrder.LITTLE_ENDIAN);
        plain.asIntBuffer().put(values, 0, size);
        return new ParquetDictionary(plain.array(), 4 * size, size, indices);
    }

    /** Text: the dictionary is kept as its page's bytes, each entry a 4-byte length and the UTF-8 bytes. */
    private static ParquetDictionary text(IdColumn.Utf8 column, int count) {
        byte[] bytes = column.bytes();
        int[] offsets = column.offsets();
        int[] indices = new int[count];
        Slots slots = new Slots();
        ByteBuffer plain = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        int[] starts = new int[16];
        int size = 0;
        for (int i = 0; i < count; i++) {
            int from = offsets[i];
            int length = offsets[i + 1] - from;
            int hash = hash(bytes, from, length);
            int slot = slots.first(hash);
            int entry = slots.entry(slot);
            while (entry >= 0 && !(slots.hash(entry) == hash && plain.getInt(starts[entry]) == length
                    && equal(plain.array(), starts[entry] + 4, bytes, from, length))) {
                slot = slots.next(slot);
                entry = slots.entry(slot);
            }
            if (entry < 0) {
                if (plain.position() + 4L + length > MAX_BYTES) {
                    return null;
                }
                if (plain.remaining() < 4 + length) {
                    plain = ByteBuffer.wrap(Arrays.copyOf(plain.array(), Math.max(plain.capacity() * 2, plain.position() + 4 + length)))
                            .order(ByteOrder.LITTLE_ENDIAN).position(plain.position());
                }
                entry = size++;
                if (entry == starts.length) {
                    starts = Arrays.copyOf(starts, entry * 2);
                }
                starts[entry] = plain.position();
                plain.putInt(length).put(bytes, from, length);
                slots.add(slot, entry, hash);
            }
            indices[i] = entry;
            if (i + 1 == TRIAL_ROWS && !pays(plain.position(), size, i + 1, 4L * (i + 1) + offsets[i + 1] - offsets[0])) {
                return null;
            }
        }
        if (!pays(plain.position(), size, count, 4L * count + offsets[count] - offsets[0])) {
            return null;
        }
        return new ParquetDictionary(plain.array(), plain.position(), size, indices);
    }

    /**
     * A hash of {@code length} bytes from {@code from}, eight at a time, the last eight overlapping
     * the word before where the length is not a multiple of eight: it runs once per row.
     */
    private static int hash(byte[] bytes, int from, int length) {
        long h = length;
        if (length < 8) {
            h ^= shortWord(bytes, from, length);
        } else {
            for (int p = from, end = from + length - 8; p < end; p += 8) {
                h = Long.rotateLeft(h ^ (long) LONGS.get(bytes, p), 29) * 0x9E3779B97F4A7C15L;
            }
            h ^= (long) LONGS.get(bytes, from + length - 8);
        }
        h *= 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32);
    }

    /** Whether the {@code length} bytes at {@code a[aFrom]} and {@code b[bFrom]} are equal; eight at a time, as {@link #hash}. */
    private static boolean equal(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        if (length < 8) {
            return shortWord(a, aFrom, length) == shortWord(b, bFrom, length);
        }
        for (int i = 0, end = length - 8; i < end; i += 8) {
            if ((long) LONGS.get(a, aFrom + i) != (long) LONGS.get(b, bFrom + i)) {
                return false;
            }
        }
        return (long) LONGS.get(a, aFrom + length - 8) == (long) LONGS.get(b, bFrom + length - 8);
    }

    /** Fewer than 8 bytes as one word. */
    private static long shortWord(byte[] bytes, int from, int length) {
        long word = 0;
        for (int i = 0; i < length; i++) {
            word |= (bytes[from + i] & 0xffL) << 8 * i;
        }
        return word;
    }

    /**
     * Open addressing (linear probing) from a value's hash to its entry number, at most half full;
     * the caller compares the values it keeps, {@link #hash} lets it skip most of them.
     */
    private static final class Slots {
        /** Entry number + 1, 0 where empty. */
        private int[] slots = new int[64];
        private int[] hashes = new int[32];

        int first(int hash) {
            int h = hash * 0x9E3779B9;
            return (h ^ h >>> 16) & slots.length - 1;
        }

        int next(int slot) {
            return slot + 1 & slots.length - 1;
        }

        /** The entry in {@code slot}, or -1 where it is empty. */
        int entry(int slot) {
            return slots[slot] - 1;
        }

        int hash(int entry) {
            return hashes[entry];
        }

        /** Puts the next entry, {@code entry}, into the empty {@code slot} its probe ended at. */
        void add(int slot, int entry, int hash) {
            if (entry == hashes.length) {
                hashes = Arrays.copyOf(hashes, entry * 2);
            }
            hashes[entry] = hash;
            slots[slot] = entry + 1;
            if (2 * (entry + 1) > slots.length) {
                slots = new int[slots.length * 2];
                for (int e = 0; e <= entry; e++) {
                    int s = first(hashes[e]);
                    while (slots[s] != 0) {
                        s = next(s);
                    }
                    slots[s] = e + 1;
                }
            }
        }
    }
}
