package dev.segmenta.engine.campaign;

import dev.segmenta.io.ColumnType;
import dev.segmenta.io.IdColumn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CampaignGroupsTest {

    private static IdColumn.Utf8 text(String... ids) {
        StringBuilder all = new StringBuilder();
        int[] offsets = new int[ids.length + 1];
        for (int i = 0; i < ids.length; i++) {
            all.append(ids[i]);
            offsets[i + 1] = all.toString().getBytes(StandardCharsets.UTF_8).length;
        }
        return new IdColumn.Utf8(all.toString().getBytes(StandardCharsets.UTF_8), offsets, ids.length);
    }

    @Test
    void numericGroupsJoinTextOutcomesAndTheOtherWayRound() {
        CampaignGroups numeric = new CampaignGroups(ColumnType.INT64);
        IdColumn.Longs ids = new IdColumn.Longs(new long[] {7, 123, -5}, 3);
        for (int i = 0; i < 3; i++) {
            assertTrue(numeric.add(ids, i, i, i == 1 ? Arm.CONTROL : Arm.TEST));
        }
        assertFalse(numeric.add(ids, 1, 0, Arm.TEST), "a customer is added once");
        IdColumn.Utf8 asText = text("123", "-5", "0123", "+7", "x");
        assertEquals(1, numeric.find(asText, 0));
        assertEquals(2, numeric.find(asText, 1));
        assertEquals(-1, numeric.find(asText, 2), "'0123' is not written as the number 123 is");
        assertEquals(-1, numeric.find(asText, 3));
        assertEquals(-1, numeric.find(asText, 4));
        assertEquals(Arm.CONTROL, numeric.arm(1));
        assertEquals("123", numeric.id(1));

        CampaignGroups textual = new CampaignGroups(ColumnType.UTF8);
        textual.add(text("42", "c-9"), 0, 3, Arm.TEST);
        textual.add(text("42", "c-9"), 1, 4, Arm.CONTROL);
        assertEquals(0, textual.find(new IdColumn.Longs(new long[] {42}, 1), 0));
        assertEquals(1, textual.find(text("c-9"), 0));
        assertEquals(4, textual.segment(1));
    }

    @Test
    void eachCustomersOutcomeIsSeenOnce() {
        CampaignGroups groups = new CampaignGroups(ColumnType.INT64);
        long[] values = new long[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 + i;
        }
        IdColumn.Longs ids = new IdColumn.Longs(values, values.length);
        for (int i = 0; i < values.length; i++) {
            groups.add(ids, i, 0, Arm.TEST);
        }
        assertTrue(groups.markSeen(130));
        assertFalse(groups.markSeen(130));
        assertTrue(groups.seen(130));
        assertFalse(groups.seen(131));
        assertFalse(groups.seen(66), "a bit of another word");
    }
}
