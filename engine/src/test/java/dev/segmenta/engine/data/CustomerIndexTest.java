package dev.segmenta.engine.data;

import dev.segmenta.io.ColumnType;
import dev.segmenta.io.IdColumn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CustomerIndexTest {

    @Test
    void numericIdsAreNumberedInFirstSeenOrderLikeAHashMap() {
        SplittableRandom random = new SplittableRandom(1);
        CustomerIndex index = new CustomerIndex(ColumnType.INT64);
        Map<Long, Integer> reference = new HashMap<>();
        long[] ids = new long[200_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(3) == 0 ? i : random.nextLong(-1_000_000, 1_000_000) * 4_294_967_296L;
        }
        IdColumn column = new IdColumn.Longs(ids, ids.length);
        for (int i = 0; i < ids.length; i++) {
            int expected = reference.computeIfAbsent(ids[i], id -> reference.size());
            assertEquals(expected, index.add(column, i));
        }
        assertEquals(reference.size(), index.size());
        long[] back = ((IdColumn.Longs) index.ids(0, index.size())).values();
        reference.forEach((id, at) -> assertEquals(id, back[at]));
    }

    @Test
    void stringIdsIncludingSimilarAndEmptyOnesAreTellApart() {
        String[] texts = new String[100_000];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = i % 7 == 0 ? "cust-" + (i / 7) : "c" + (i % 5000) + "é";
        }
        byte[][] encoded = new byte[texts.length][];
        int total = 0;
        for (int i = 0; i < texts.length; i++) {
            encoded[i] = texts[i].getBytes(StandardCharsets.UTF_8);
            total += encoded[i].length;
        }
        byte[] bytes = new byte[total];
        int[] offsets = new int[texts.length + 1];
        for (int i = 0; i < texts.length; i++) {
            System.arraycopy(encoded[i], 0, bytes, offsets[i], encoded[i].length);
            offsets[i + 1] = offsets[i] + encoded[i].length;
        }
        IdColumn column = new IdColumn.Utf8(bytes, offsets, texts.length);
        CustomerIndex index = new CustomerIndex(ColumnType.UTF8);
        Map<String, Integer> reference = new HashMap<>();
        for (int i = 0; i < texts.length; i++) {
            int expected = reference.computeIfAbsent(texts[i], id -> reference.size());
            assertEquals(expected, index.add(column, i));
        }
        assertEquals(reference.size(), index.size());
        IdColumn back = index.ids(3, 4);
        for (int i = 0; i < 4; i++) {
            int at = 3 + i;
            String expected = reference.entrySet().stream().filter(e -> e.getValue() == at).findFirst().orElseThrow().getKey();
            assertEquals(expected, back.text(i));
        }
    }

    @Test
    void idsOfARangeComeBackInOrder() {
        CustomerIndex index = new CustomerIndex(ColumnType.INT64);
        IdColumn column = new IdColumn.Longs(new long[] {30, 10, 30, 20, 10}, 5);
        for (int i = 0; i < 5; i++) {
            index.add(column, i);
        }
        assertArrayEquals(new long[] {10, 20}, ((IdColumn.Longs) index.ids(1, 2)).values());
    }
}
