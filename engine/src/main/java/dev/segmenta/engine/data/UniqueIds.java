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
 * memory. Otherwise numeric ids are copied and sorted (8 bytes per row, {@link #BYTES_PER_ROW}), so a
 * repeat stands beside its twin; string ids go into a {@link CustomerIndex} (their length plus up to
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
        if (data.block(0).ids() instanceof IdColumn.Longs) {
            checkSorted(file, data, fileRows);
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

    /** Numeric ids in any order: sorted, a repeat is next to its twin. */
    private static void checkSorted(Path file, Dataset data, boolean fileRows) {
        long[] ids = new long[Math.toIntExact(data.rows())];
        int at = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            IdColumn.Longs block = (IdColumn.Longs) data.block(b).ids();
            System.arraycopy(block.values(), 0, ids, at, block.size());
            at += block.size();
        }
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
