package dev.segmenta.engine.campaign;

import dev.segmenta.engine.data.CustomerIndex;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.IdColumn;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The customers of a split (the {@code segmenta split} file), for joining outcomes to them: each
 * customer's segment and group behind a {@link CustomerIndex}. Memory per customer: the index's 16-28
 * bytes for a numeric id (the UTF-8 bytes plus 24-40 for a string id), 4 for the segment and 1 for the
 * group, plus a bit for whether an outcome was seen.
 *
 * <p>An id is one customer whatever its type: outcomes keyed by text ("123", as CSV reads every id)
 * join groups keyed by numbers (Parquet's integers) and the other way round, by the id's decimal text.
 */
public final class CampaignGroups {

    private static final Arm[] ARMS = Arm.values();

    private final CustomerIndex index;
    private final boolean numeric;
    private int[] segments = new int[1024];
    private byte[] arms = new byte[1024];
    private long[] seen = new long[16];

    public CampaignGroups(ColumnType idType) {
        this.index = new CustomerIndex(idType);
        this.numeric = idType == ColumnType.INT64;
    }

    /** Adds the customer in row {@code row}; returns false when it was already added (a duplicate). */
    public boolean add(IdColumn ids, int row, int segment, Arm arm) {
        int before = index.size();
        int i = index.add(ids, row);
        if (i < before) {
            return false;
        }
        if (i == segments.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, segments.length * 3L / 2);
            segments = Arrays.copyOf(segments, capacity);
            arms = Arrays.copyOf(arms, capacity);
        }
        segments[i] = segment;
        arms[i] = (byte) arm.ordinal();
        return true;
    }

    public int size() {
        return index.size();
    }

    /** The index of the customer in row {@code row} of {@code ids}, of either id type; -1 for one not in the split. */
    public int find(IdColumn ids, int row) {
        return switch (ids) {
            case IdColumn.Longs l when numeric -> index.indexOf(l.values()[row]);
            case IdColumn.Longs l -> {
                byte[] text = Long.toString(l.values()[row]).getBytes(StandardCharsets.US_ASCII);
                yield index.indexOf(text, 0, text.length);
            }
            case IdColumn.Utf8 u when !numeric -> index.indexOf(u.bytes(), u.offsets()[row], u.offsets()[row + 1] - u.offsets()[row]);
            case IdColumn.Utf8 u -> {
                Long id = canonicalNumber(u.text(row));
                yield id == null ? -1 : index.indexOf(id);
            }
        };
    }

    /** The number a text id is, when it is written as the number would be (no sign, zeros or spaces added). */
    private static Long canonicalNumber(String text) {
        try {
            long value = Long.parseLong(text);
            return Long.toString(value).equals(text) ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The customer's id as text, for messages. */
    public String id(int customer) {
        return index.ids(customer, 1).text(0);
    }

    public int segment(int customer) {
        return segments[customer];
    }

    public Arm arm(int customer) {
        return ARMS[arms[customer]];
    }

    /** Marks the customer's outcome as seen; returns false when it already was (a second outcome row). */
    public boolean markSeen(int customer) {
        if (customer >> 6 >= seen.length) {
            seen = Arrays.copyOf(seen, Math.max(seen.length * 2, (customer >> 6) + 1));
        }
        long bit = 1L << customer;
        boolean first = (seen[customer >> 6] & bit) == 0;
        seen[customer >> 6] |= bit;
        return first;
    }

    public boolean seen(int customer) {
        return customer >> 6 < seen.length && (seen[customer >> 6] & 1L << customer) != 0;
    }
}
