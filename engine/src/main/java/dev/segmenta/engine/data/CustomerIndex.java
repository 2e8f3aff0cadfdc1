package dev.segmenta.engine.data;

import dev.segmenta.io.ColumnType;
import dev.segmenta.io.IdColumn;

import java.util.Arrays;

/**
 * Customer ids numbered 0, 1, 2, … in the order they are first seen, kept in primitive arrays so
 * that hundreds of millions of customers fit: no object per customer. An open-addressing table
 * with linear probing holds {@code index + 1} per slot (0 = empty), at most half full; the ids
 * themselves sit in dense arrays by index, which also hands them back in first-seen order.
 *
 * <p>Memory per distinct customer: the table's 4 bytes per slot at a load between 1/4 and 1/2
 * (8–16 bytes per id), plus for numeric ids 8 bytes (the dense array grows by half: up to 12), or
 * for string ids the UTF-8 bytes plus 16 (offset, length, hash; up to 24 while growing). So 10M
 * numeric ids need 160–280 MB. Growing briefly holds the old and the new table.
 *
 * <p>Not thread-safe: one thread adds, in file order, which also makes the numbering deterministic.
 */
public final class CustomerIndex {

    private static final int PAGE_BYTES = 1 << 24;

    private final boolean text;
    private int[] slots = new int[1 << 10];
    private int size;
    private long[] longs;
    /** String ids: page {@code (int) (at >>> 32)}, position {@code (int) at}. */
    private long[] at;
    private int[] lengths;
    private int[] hashes;
    private byte[][] pages;
    private int page;
    private int pagePosition;

    public CustomerIndex(ColumnType idType) {
        if (idType != ColumnType.INT64 && idType != ColumnType.UTF8) {
            throw new IllegalArgumentException("ids are INT64 or UTF8, not " + idType);
        }
        text = idType == ColumnType.UTF8;
        if (text) {
            at = new long[256];
            lengths = new int[256];
            hashes = new int[256];
            pages = new byte[][] {new byte[1 << 16]};
        } else {
            longs = new long[256];
        }
    }

    /** Distinct ids seen so far; the next new id gets this index. */
    public int size() {
        return size;
    }

    /** The index of the id in row {@code row} of {@code ids}, numbering it {@link #size()} if it is new. */
    public int add(IdColumn ids, int row) {
        return switch (ids) {
            case IdColumn.Longs l -> add(l.values()[row]);
            case IdColumn.Utf8 u -> add(u.bytes(), u.offsets()[row], u.offsets()[row + 1] - u.offsets()[row]);
        };
    }

    /** The index of the numeric id, or -1 when it was never added. */
    public int indexOf(long id) {
        if (text) {
            throw new IllegalArgumentException("this index holds string ids");
        }
        int mask = slots.length - 1;
        for (int s = mix(id) & mask; slots[s] != 0; s = (s + 1) & mask) {
            if (longs[slots[s] - 1] == id) {
                return slots[s] - 1;
            }
        }
        return -1;
    }

    /** The index of the string id in {@code bytes[offset, offset + length)}, or -1 when it was never added. */
    public int indexOf(byte[] bytes, int offset, int length) {
        if (!text) {
            throw new IllegalArgumentException("this index holds numeric ids");
        }
        int hash = hash(bytes, offset, length);
        int mask = slots.length - 1;
        for (int s = hash & mask; slots[s] != 0; s = (s + 1) & mask) {
            int i = slots[s] - 1;
            if (hashes[i] == hash && lengths[i] == length && Arrays.equals(pages[(int) (at[i] >>> 32)], (int) at[i],
                    (int) at[i] + length, bytes, offset, offset + length)) {
                return i;
            }
        }
        return -1;
    }

    private int add(long id) {
        if (text) {
            throw new IllegalArgumentException("this index holds string ids");
        }
        int mask = slots.length - 1;
        for (int s = mix(id) & mask; ; s = (s + 1) & mask) {
            int entry = slots[s];
            if (entry == 0) {
                if (size == longs.length) {
                    longs = Arrays.copyOf(longs, grown(size));
                }
                longs[size] = id;
                return insert(s);
            }
            if (longs[entry - 1] == id) {
                return entry - 1;
            }
        }
    }

    private int add(byte[] bytes, int offset, int length) {
        if (!text) {
            throw new IllegalArgumentException("this index holds numeric ids");
        }
        int hash = hash(bytes, offset, length);
        int mask = slots.length - 1;
        for (int s = hash & mask; ; s = (s + 1) & mask) {
            int entry = slots[s];
            if (entry == 0) {
                store(bytes, offset, length, hash);
                return insert(s);
            }
            int i = entry - 1;
            if (hashes[i] == hash && lengths[i] == length && Arrays.equals(pages[(int) (at[i] >>> 32)], (int) at[i],
                    (int) at[i] + length, bytes, offset, offset + length)) {
                return i;
            }
        }
    }

    private void store(byte[] bytes, int offset, int length, int hash) {
        if (size == at.length) {
            int capacity = grown(size);
            at = Arrays.copyOf(at, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
        }
        if (pagePosition + length > pages[page].length) {
            int current = pages[page].length;
            if (current < PAGE_BYTES && pagePosition + length <= PAGE_BYTES) {
                pages[page] = Arrays.copyOf(pages[page], Math.min(PAGE_BYTES, Math.max(current * 2, pagePosition + length)));
            } else {
                pages = Arrays.copyOf(pages, page + 2);
                pages[++page] = new byte[Math.max(PAGE_BYTES, length)];
                pagePosition = 0;
            }
        }
        System.arraycopy(bytes, offset, pages[page], pagePosition, length);
        at[size] = (long) page << 32 | pagePosition;
        lengths[size] = length;
        hashes[size] = hash;
        pagePosition += length;
    }

    private int insert(int slot) {
        slots[slot] = ++size;
        if (size * 2L > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        if (slots.length >= 1 << 30) {
            throw new IllegalStateException("more than 2^29 distinct customers: beyond what one index holds");
        }
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int i = 0; i < size; i++) {
            int s = (text ? hashes[i] : mix(longs[i])) & mask;
            while (bigger[s] != 0) {
                s = (s + 1) & mask;
            }
            bigger[s] = i + 1;
        }
        slots = bigger;
    }

    private static int grown(int size) {
        return (int) Math.min(Integer.MAX_VALUE - 8, size + (size >> 1) + 16L);
    }

    /** The ids of indices {@code [from, from + count)}, in index order (first-seen order). */
    public IdColumn ids(int from, int count) {
        if (!text) {
            return new IdColumn.Longs(Arrays.copyOfRange(longs, from, from + count), count);
        }
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i + 1] = offsets[i] + lengths[from + i];
        }
        byte[] bytes = new byte[offsets[count]];
        for (int i = 0; i < count; i++) {
            long a = at[from + i];
            System.arraycopy(pages[(int) (a >>> 32)], (int) a, bytes, offsets[i], lengths[from + i]);
        }
        return new IdColumn.Utf8(bytes, offsets, count);
    }

    /** Stafford's variant 13 of the MurmurHash3 finaliser: sequential ids spread over the table. */
    private static int mix(long id) {
        long h = id;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 31));
    }

    /** FNV-1a over the bytes, then the finaliser, so similar ids ("cust-1", "cust-2") land far apart. */
    private static int hash(byte[] bytes, int offset, int length) {
        long h = 0xCBF29CE484222325L;
        for (int i = offset; i < offset + length; i++) {
            h = (h ^ (bytes[i] & 0xFF)) * 0x100000001B3L;
        }
        return mix(h);
    }
}
