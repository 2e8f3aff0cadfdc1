package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Java Parquet writer puts in a file beyond the values {@link RoundTripTest} reads back:
 * chunks of many pages, a value longer than a page, the statistics other readers prune row groups
 * by, and a table without rows.
 */
class ParquetTableWriterTest {

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("readers release their buffers");
    }

    @Test
    void columnsOfManyPagesAndAnIdLongerThanAPageReadBack() throws IOException {
        int rows = 300_000; // 2.4 MB of doubles: three pages
        String[] ids = new String[rows];
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = "c" + i;
            values[i] = i * 0.5;
        }
        ids[7] = "x".repeat(ParquetTableWriter.PAGE_BYTES + 10);
        Path file = dir.resolve("pages.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("customer_id", ColumnType.UTF8),
                new Column("value", ColumnType.FLOAT64)))) {
            out.write(rows, ids, values);
            out.commit();
        }
        assertEquals(rows, ParquetFooter.read(file).rows());
        int row = 0;
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            for (FeatureBatch b = source.next(); b != null; b = source.next()) {
                for (int i = 0; i < b.rows(); i++, row++) {
                    assertEquals(ids[row], b.ids().text(i), "id of row " + row);
                    assertEquals((float) values[row], b.value(i, 0), "value of row " + row);
                }
            }
        }
        assertEquals(rows, row);
    }

    @Test
    void numericChunksCarryTheirRowGroupsMinAndMax() throws IOException {
        Path file = dir.resolve("stats.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("customer_id", ColumnType.INT64),
                new Column("x", ColumnType.FLOAT32), new Column("n", ColumnType.INT32), new Column("t", ColumnType.UTF8)))) {
            out.write(3, new long[] {5, -2, 9}, new float[] {Float.NaN, 0f, -1.5f}, new int[] {3, 1, 2},
                    new String[] {"b", "a", "c"});
            out.write(2, new long[] {100, 50}, new float[] {Float.NaN, Float.NaN}, new int[] {-7, 7},
                    new String[] {"z", "y"});
            out.commit();
        }
        List<List<byte[][]>> stats = statistics(file);
        assertEquals(2, stats.size(), "a row group per block");
        List<byte[][]> first = stats.get(0);
        assertArrayEquals(new byte[][] {le(8).putLong(-2).array(), le(8).putLong(9).array()}, first.get(0));
        // NaN left out; zero as the maximum is +0.0 (a minimum of zero would be -0.0)
        assertArrayEquals(new byte[][] {le(4).putFloat(-1.5f).array(), le(4).putFloat(0f).array()}, first.get(1));
        assertArrayEquals(new byte[][] {le(4).putInt(1).array(), le(4).putInt(3).array()}, first.get(2));
        assertNull(first.get(3), "no range for text");
        List<byte[][]> second = stats.get(1);
        assertArrayEquals(new byte[][] {le(8).putLong(50).array(), le(8).putLong(100).array()}, second.get(0));
        assertNull(second.get(1), "an all-NaN chunk has no range");
        assertArrayEquals(new byte[][] {le(4).putInt(-7).array(), le(4).putInt(7).array()}, second.get(2));
    }

    @Test
    void tableWithoutRowsIsAValidFileThatReadersRefuseAsEmpty() throws IOException {
        Path file = dir.resolve("empty.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("x", ColumnType.FLOAT32)))) {
            out.commit();
        }
        assertEquals(0, ParquetFooter.read(file).rows());
        BadInputException e = assertThrows(BadInputException.class, () -> FeatureSource.open(file, ReadOptions.defaults()));
        assertTrue(e.getMessage().contains("has no data rows"), e.getMessage());
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Per row group, per column: {min_value, max_value} from the footer, or null without them. */
    private static List<List<byte[][]>> statistics(Path file) throws IOException {
        ByteBuffer footer;
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, channel.size() - 8);
            int length = tail.getInt(0);
            footer = ByteBuffer.allocate(length);
            channel.read(footer, channel.size() - 8 - length);
            footer.flip();
        }
        ThriftCompactReader in = new ThriftCompactReader(footer);
        List<List<byte[][]>> groups = new ArrayList<>();
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            if (in.fieldId() != 4) {
                in.skip(type);
                continue;
            }
            for (int g = in.readListHeader(ThriftCompactReader.STRUCT); g > 0; g--) {
                List<byte[][]> chunks = new ArrayList<>();
                in.beginStruct();
                for (int t = in.nextField(); t != ThriftCompactReader.STOP; t = in.nextField()) {
                    if (in.fieldId() != 1) {
                        in.skip(t);
                        continue;
                    }
                    for (int c = in.readListHeader(ThriftCompactReader.STRUCT); c > 0; c--) {
                        chunks.add(chunkStatistics(in));
                    }
                }
                groups.add(chunks);
            }
        }
        return groups;
    }

    /** Walks ColumnChunk → meta_data (3) → statistics (12) → max_value (5), min_value (6). */
    private static byte[][] chunkStatistics(ThriftCompactReader in) {
        byte[][] range = null;
        in.beginStruct();
        for (int t = in.nextField(); t != ThriftCompactReader.STOP; t = in.nextField()) {
            if (in.fieldId() != 3) {
                in.skip(t);
                continue;
            }
            in.beginStruct();
            for (int m = in.nextField(); m != ThriftCompactReader.STOP; m = in.nextField()) {
                if (in.fieldId() != 12) {
                    in.skip(m);
                    continue;
                }
                byte[] min = null;
                byte[] max = null;
                in.beginStruct();
                for (int s = in.nextField(); s != ThriftCompactReader.STOP; s = in.nextField()) {
                    switch (in.fieldId()) {
                        case 5 -> max = in.readBinary();
                        case 6 -> min = in.readBinary();
                        default -> in.skip(s);
                    }
                }
                range = min == null ? null : new byte[][] {min, max};
            }
        }
        return range;
    }
}
