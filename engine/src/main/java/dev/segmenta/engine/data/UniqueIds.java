package dev.segmenta.engine.data;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks that no customer id appears twice in a loaded file that was not de-duplicated. A repeated
 * id is a customer exported twice (a join gone wrong upstream): it would count double in the
 * segments, silently, and appear twice in the assignments the CRM imports. {@code --dedup first|last}
 * is the fix when the repeats are meant (a customer's history); the check then never runs.
 *
 * <p>Most exports list their customers in id order, so the check first looks for that: ids that rise
 * from row to row (numerically, or by their UTF-8 bytes) are distinct, found in one pass with no
 * memory. Otherwise numeric ids, and text ids that are all plain integers (a CSV's), are copied as
 * numbers and sorted (8 bytes per row), so a repeat stands beside its twin; other string ids go into a
 * {@link CustomerIndex} (their length plus up to
 * 40 bytes each). Both are released after ({@link #bytesPerRow}). A hash table filled row by row took most of the time
 * between reading a 10M-customer file and fitting it.
 */
public final class UniqueIds {

    /** String ids' bytes per id beyond their own length in a {@link CustomerIndex}, at its fullest. */
    private static final int INDEX_BYTES_PER_TEXT_ID = 40;
    /** A typical CRM id's length ("C-000123", a UUID is 36), for the estimate made before reading. */
    private static final int TYPICAL_TEXT_ID_BYTES = 16;

    /** The transient memory of the check per customer, for the memory estimate made before reading. */
    public static int bytesPerRow(ColumnType idType) {
        return idType == ColumnType.UTF8 ? INDEX_BYTES_PER_TEXT_ID + TYPICAL_TEXT_ID_BYTES : Long.BYTES;
    }

    private UniqueIds() {
    }

    /**
     * @param fileRows whether the blocks' row numbers are the file's (no row was dropped on the way);
     *                 otherwise the message counts the rows kept
     * @throws BadInputException naming the first id seen twice and both its rows
     */
    public static void check(Path file, Dataset data, boolean fileRows) {
        if (data.rows() < 2 || rising(data)) {
            return;
        }
        long[] numeric = data.block(0).ids() instanceof IdColumn.Longs ? longIds(data) : canonicalIntegers(data);
        if (numeric != null) {
            checkSorted(file, data, numeric, fileRows);
            return;
        }
        CustomerIndex index = new CustomerIndex(ColumnType.UTF8);
        for (int b = 0; b < data.blockCount(); b++) {
            FeatureBatch block = data.block(b);
            for (int i = 0; i < block.rows(); i++) {
                int before = index.size();
                index.add(block.ids(), i);
                if (index.size() == before) {
                    throw repeated(file, data, block.ids().text(i), block.firstRow() + i, fileRows);
                }
            }
        }
    }

    /** Whether every id is greater than the one before it, across blocks. */
    private static boolean rising(Dataset data) {
        long previousLong = 0;
        byte[] previousBytes = null;
        int previousFrom = 0;
        int previousTo = 0;
        boolean first = true;
        for (int b = 0; b < data.blockCount(); b++) {
            switch (data.block(b).ids()) {
                case IdColumn.Longs l -> {
                    long[] v = l.values();
                    for (int i = 0; i < l.size(); i++, first = false) {
                        if (!first && v[i] <= previousLong) {
                            return false;
                        }
                        previousLong = v[i];
                    }
                }
                case IdColumn.Utf8 u -> {
                    byte[] bytes = u.bytes();
                    int[] offsets = u.offsets();
                    for (int i = 0; i < u.size(); i++, first = false) {
                        if (!first && Arrays.compareUnsigned(bytes, offsets[i], offsets[i + 1],
                                previousBytes, previousFrom, previousTo) <= 0) {
                            return false;
                        }
                        previousBytes = bytes;
                        previousFrom = offsets[i];
                        previousTo = offsets[i + 1];
                    }
                }
            }
        }
        return true;
    }

    private static long[] longIds(Dataset data) {
        long[] ids = new long[Math.toIntExact(data.rows())];
        int at = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            IdColumn.Longs block = (IdColumn.Longs) data.block(b).ids();
            System.arraycopy(block.values(), 0, ids, at, block.size());
            at += block.size();
        }
        return ids;
    }

    /**
     * Text ids that are all integers written the one way a number prints ("17", "-5", "0"; no sign
     * '+', no leading zero) as those numbers, or {@code null}: such texts are equal exactly when their
     * numbers are, so a CSV's numeric ids, read as text, are checked by sorting too, and "10" after
     * "9" is no reason for a hash table.
     */
    private static long[] canonicalIntegers(Dataset data) {
        long[] ids = new long[Math.toIntExact(data.rows())];
        int at = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            IdColumn.Utf8 block = (IdColumn.Utf8) data.block(b).ids();
            byte[] bytes = block.bytes();
            int[] offsets = block.offsets();
            for (int i = 0; i < block.size(); i++) {
                int from = offsets[i];
                int to = offsets[i + 1];
                boolean negative = to - from > 1 && bytes[from] == '-';
                int digits = negative ? from + 1 : from;
                // 18 digits always fit a long; longer ids take the index.
                if (to == digits || to - digits > 18 || bytes[digits] == '0' && (to - digits > 1 || negative)) {
                    return null;
                }
                long value = 0;
                for (int k = digits; k < to; k++) {
                    int digit = bytes[k] - '0';
                    if (digit < 0 || digit > 9) {
                        return null;
                    }
                    value = value * 10 + digit;
                }
                ids[at++] = negative ? -value : value;
            }
        }
        return ids;
    }

    /** Ids as numbers, in any order: sorted, a repeat is next to its twin. */
    private static void checkSorted(Path file, Dataset data, long[] ids, boolean fileRows) {
        Arrays.parallelSort(ids);
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] == ids[i - 1]) {
                throw repeated(file, data, Long.toString(ids[i]), fileRows);
            }
        }
    }

    /** {@code id} appears twice: finds both its rows (once, on the failure path). */
    private static BadInputException repeated(Path file, Dataset data, String id, boolean fileRows) {
        long first = -1;
        for (int b = 0; b < data.blockCount(); b++) {
            FeatureBatch block = data.block(b);
            for (int i = 0; i < block.rows(); i++) {
                if (block.ids().text(i).equals(id)) {
                    if (first >= 0) {
                        return repeated(file, data, id, block.firstRow() + i, fileRows);
                    }
                    first = block.firstRow() + i;
                }
            }
        }
        throw new IllegalStateException("id " + id + " was seen twice but is not there twice");
    }

    /** {@code id}, seen before, is back at {@code ordinal}: finds where it was first (once, on the failure path). */
    private static BadInputException repeated(Path file, Dataset data, String id, long ordinal, boolean fileRows) {
        long first = -1;
        for (int b = 0; b < data.blockCount() && first < 0; b++) {
            FeatureBatch block = data.block(b);
            for (int i = 0; i < block.rows(); i++) {
                if (block.ids().text(i).equals(id)) {
                    first = block.firstRow() + i;
                    break;
                }
            }
        }
        return new BadInputException(file + ": customer id '" + id + "' appears more than once (rows " + (first + 1)
                + " and " + (ordinal + 1) + (fileRows ? "" : " of those kept") + "); keep one row per customer with "
                + "--dedup last (its last row) or --dedup first, or name a unique id column with --id-column");
    }
}
