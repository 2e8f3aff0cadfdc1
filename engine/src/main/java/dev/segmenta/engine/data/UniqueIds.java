package dev.segmenta.engine.data;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;

import java.nio.file.Path;

/**
 * Checks that no customer id appears twice in a loaded file that was not de-duplicated. A repeated
 * id is a customer exported twice (a join gone wrong upstream): it would count double in the
 * segments, silently, and appear twice in the assignments the CRM imports. {@code --dedup first|last}
 * is the fix when the repeats are meant (a customer's history); the check then never runs.
 *
 * <p>Memory: a {@link CustomerIndex} of the ids while checking ({@link #BYTES_PER_ROW} at most for
 * numeric ids; string ids add their length), released after.
 */
public final class UniqueIds {

    /** The transient memory of the check per (numeric) customer id, at the index's fullest. */
    public static final int BYTES_PER_ROW = 28;

    private UniqueIds() {
    }

    /**
     * @param fileRows whether the blocks' row numbers are the file's (no row was dropped on the way);
     *                 otherwise the message counts the rows kept
     * @throws BadInputException naming the first id seen twice and both its rows
     */
    public static void check(Path file, Dataset data, boolean fileRows) {
        if (data.rows() < 2) {
            return;
        }
        CustomerIndex index = new CustomerIndex(data.block(0).ids() instanceof IdColumn.Utf8
                ? ColumnType.UTF8 : ColumnType.INT64);
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
