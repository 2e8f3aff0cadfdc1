package dev.segmenta.engine.data;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UniqueIdsTest {

    private static final Path FILE = Path.of("c.parquet");

    /** One block per array of ids, one feature, rows numbered on across blocks. */
    private static Dataset numeric(long[]... blocks) {
        List<FeatureBatch> batches = new ArrayList<>();
        long first = 0;
        for (long[] ids : blocks) {
            batches.add(new FeatureBatch(new float[ids.length], ids.length, 1, first, new IdColumn.Longs(ids, ids.length)));
            first += ids.length;
        }
        return new Dataset(batches, List.of("x"), null);
    }

    private static Dataset text(String[]... blocks) {
        List<FeatureBatch> batches = new ArrayList<>();
        long first = 0;
        for (String[] ids : blocks) {
            StringBuilder all = new StringBuilder();
            int[] offsets = new int[ids.length + 1];
            for (int i = 0; i < ids.length; i++) {
                all.append(ids[i]);
                offsets[i + 1] = all.toString().getBytes(StandardCharsets.UTF_8).length;
            }
            batches.add(new FeatureBatch(new float[ids.length], ids.length, 1, first,
                    new IdColumn.Utf8(all.toString().getBytes(StandardCharsets.UTF_8), offsets, ids.length)));
            first += ids.length;
        }
        return new Dataset(batches, List.of("x"), null);
    }

    private static String failure(Dataset data) {
        return assertThrows(BadInputException.class, () -> UniqueIds.check(FILE, data, true)).getMessage();
    }

    @Test
    void distinctIdsPassInOrderOrNot() {
        assertDoesNotThrow(() -> UniqueIds.check(FILE, numeric(new long[] {1, 2, 5}, new long[] {9, 10}), true));
        assertDoesNotThrow(() -> UniqueIds.check(FILE, numeric(new long[] {5, -3, 9}, new long[] {2, Long.MIN_VALUE}), true));
        assertDoesNotThrow(() -> UniqueIds.check(FILE, text(new String[] {"C-1", "C-10"}, new String[] {"C-2", "Ä"}), true));
        assertDoesNotThrow(() -> UniqueIds.check(FILE, text(new String[] {"b", "a"}, new String[] {"ab", "aa"}), true));
    }

    @Test
    void aRepeatIsNamedWithBothItsRowsWhereverItIs() {
        String adjacent = failure(numeric(new long[] {1, 2, 2}));
        assertEquals("c.parquet: customer id '2' appears more than once (rows 2 and 3); keep one row per customer with "
                + "--dedup last (its last row) or --dedup first, or name a unique id column with --id-column", adjacent);
        assertTrue(failure(numeric(new long[] {7, 3, 9}, new long[] {4, 3})).contains("'3' appears more than once (rows 2 and 5)"));
        assertTrue(failure(text(new String[] {"C-2", "C-1"}, new String[] {"C-3", "C-2"}))
                .contains("'C-2' appears more than once (rows 1 and 4)"));
        assertTrue(failure(text(new String[] {"a", "b"}, new String[] {"b"})).contains("(rows 2 and 3)"),
                "rising until the repeat, which is not above the id before it");
    }

    /** A CSV's numeric ids arrive as text: plain integers are checked as numbers, anything else as text. */
    @Test
    void textIdsThatAreIntegersAreComparedAsNumbersOnlyWhenWrittenPlainly() {
        assertDoesNotThrow(() -> UniqueIds.check(FILE, text(new String[] {"9", "10", "-3"}, new String[] {"0", "123456789012345678"}), true));
        assertTrue(failure(text(new String[] {"9", "10"}, new String[] {"2", "10"})).contains("'10' appears more than once (rows 2 and 4)"));
        assertDoesNotThrow(() -> UniqueIds.check(FILE, text(new String[] {"7", "007", "+7", "-0", "0"}), true),
                "different texts are different customers, even where they are one number");
        assertTrue(failure(text(new String[] {"9", "007", "1"}, new String[] {"007"})).contains("'007' appears more than once (rows 2 and 4)"));
    }

    @Test
    void rowsAfterDroppedOnesAreCountedAmongThoseKept() {
        Dataset data = numeric(new long[] {4, 4});
        String message = assertThrows(BadInputException.class, () -> UniqueIds.check(FILE, data, false)).getMessage();
        assertTrue(message.contains("(rows 1 and 2 of those kept)"), message);
    }
}
