package dev.segmenta.engine.data;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that no customer id appears twice in a loaded file. A repeated id is a customer exported
 * twice (a join gone wrong upstream): it would count double in the segments, silently, and appear
 * twice in the assignments the CRM imports.
 *
 * <p>Cost: one 64-bit key per customer (the id, or a hash of a string id), sorted in parallel; only
 * when two keys are equal are those ids compared as text, so hash collisions never make a false
 * report. Ids that are row numbers (a file without an id column) are skipped in one pass. Files of
 * more than about 2^31 customers are not checked.
 */
final class UniqueIds {

    /** The transient memory of the check, per customer. */
    static final int BYTES_PER_ROW = Long.BYTES;

    private UniqueIds() {
    }

    static void check(Path file, List<FeatureBatch> blocks) {
        long total = 0;
        boolean ordinals = true;
        for (FeatureBatch block : blocks) {
            total += block.rows();
            ordinals &= isOrdinals(block);
        }
        if (total < 2 || ordinals || total > Integer.MAX_VALUE - 8) {
            return;
        }
        long[] keys = new long[(int) total];
        int at = 0;
        for (FeatureBatch block : blocks) {
            for (int i = 0; i < block.rows(); i++) {
                keys[at++] = key(block.ids(), i);
            }
        }
        Arrays.parallelSort(keys);
        Set<Long> repeated = new HashSet<>();
        for (int i = 1; i < keys.length; i++) {
            if (keys[i] == keys[i - 1]) {
                repeated.add(keys[i]);
            }
        }
        if (!repeated.isEmpty()) {
            reportFirstRepeat(file, blocks, repeated);
        }
    }

    private static boolean isOrdinals(FeatureBatch block) {
        if (!(block.ids() instanceof IdColumn.Longs ids)) {
            return false;
        }
        for (int i = 0; i < block.rows(); i++) {
            if (ids.values()[i] != block.firstRow() + i) {
                return false;
            }
        }
        return true;
    }

    /** Compares the ids behind the repeated keys in file order; the first id seen twice is reported. */
    private static void reportFirstRepeat(Path file, List<FeatureBatch> blocks, Set<Long> repeated) {
        Map<String, Long> firstRow = new HashMap<>();
        for (FeatureBatch block : blocks) {
            for (int i = 0; i < block.rows(); i++) {
                if (!repeated.contains(key(block.ids(), i))) {
                    continue;
                }
                String id = block.ids().text(i);
                long row = block.firstRow() + i + 1;
                Long earlier = firstRow.putIfAbsent(id, row);
                if (earlier != null) {
                    throw new BadInputException(file + ": customer id '" + id + "' appears more than once (rows " + earlier
                            + " and " + row + "); give each customer one row (deduplicate the export), or name a unique "
                            + "id column with --id-column");
                }
            }
        }
    }

    private static long key(IdColumn ids, int row) {
        return switch (ids) {
            case IdColumn.Longs l -> l.values()[row];
            case IdColumn.Utf8 u -> hash(u.bytes(), u.offsets()[row], u.offsets()[row + 1]);
        };
    }

    /** FNV-1a over the UTF-8 bytes, then a 64-bit finaliser (SplitMix64's) to spread short ids. */
    private static long hash(byte[] bytes, int from, int to) {
        long h = 0xcbf29ce484222325L;
        for (int i = from; i < to; i++) {
            h = (h ^ (bytes[i] & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
