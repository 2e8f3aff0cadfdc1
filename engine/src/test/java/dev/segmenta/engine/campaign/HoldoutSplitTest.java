package dev.segmenta.engine.campaign;

import dev.segmenta.io.IdColumn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HoldoutSplitTest {

    /**
     * The reference vectors of SipHash-2-4 (Aumasson and Bernstein's vectors.h): key 00 01 … 0f, messages
     * 00 01 … of length 0 and 15 (the paper's worked example in its appendix).
     */
    @Test
    void sipHashMatchesTheReferenceVectors() {
        byte[] message = new byte[15];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        SipHash hash = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        assertEquals(0x726fdb47dd0e0e31L, hash.hash(message, 0, 0));
        assertEquals(0xa129ca6149be45e5L, hash.hash(message, 0, 15));
    }

    private static IdColumn.Utf8 text(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        return new IdColumn.Utf8(bytes, new int[] {0, bytes.length}, 1);
    }

    @Test
    void aNumericIdSplitsAsItsTextAndEachSeedDrawsAnotherSplit() {
        HoldoutSplit split = new HoldoutSplit(7, 0.5, Map.of());
        HoldoutSplit other = new HoldoutSplit(8, 0.5, Map.of());
        long[] ids = new long[10_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1_000_000L + i;
        }
        IdColumn.Longs numbers = new IdColumn.Longs(ids, ids.length);
        int agree = 0;
        for (int i = 0; i < ids.length; i++) {
            assertEquals(split.uniform(numbers, i), split.uniform(text(Long.toString(ids[i])), 0));
            agree += split.arm(numbers, i, 0) == other.arm(numbers, i, 0) ? 1 : 0;
        }
        assertEquals(0.5, agree / 10_000.0, 0.02, "two seeds' splits are independent");
    }

    @Test
    void sharesPerSegmentAreBinomialAndRaisingOneOnlyMovesCustomersIntoControl() {
        HoldoutSplit tenth = new HoldoutSplit(3, 0.1, Map.of(1, 0.3));
        HoldoutSplit fifth = new HoldoutSplit(3, 0.2, Map.of(1, 0.3));
        int n = 40_000;
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        IdColumn.Longs column = new IdColumn.Longs(ids, n);
        int[] control = new int[2];
        for (int i = 0; i < n; i++) {
            int segment = i % 2;
            Arm before = tenth.arm(column, i, segment);
            Arm after = fifth.arm(column, i, segment);
            control[segment] += before == Arm.CONTROL ? 1 : 0;
            assertTrue(before == Arm.TEST || after == Arm.CONTROL, "customer " + i + " left control when its share rose");
            if (segment == 1) {
                assertEquals(before, after, "segment 1's share did not change");
            }
        }
        // 20,000 customers per segment: standard deviations of 0.21 and 0.32 points; 4 of them allowed.
        assertEquals(0.1, control[0] / 20_000.0, 0.0085);
        assertEquals(0.3, control[1] / 20_000.0, 0.013);
    }
}
