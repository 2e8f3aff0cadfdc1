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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.CRC32;

import dev.hardwood.reader.ColumnReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the Java Parquet writer puts in a file beyond the values {@link RoundTripTest} reads back:
 * every column type through each codec, dictionary pages where they pay and their fallback to
 * PLAIN, page checksums, chunks of many pages, a value longer than a page, the statistics other
 * readers prune row groups by, and a table without rows.
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

    /** Segment-like numbers: random, with runs of 1 to 40 equal values (RLE and bit-packed runs, ragged ends). */
    private static int[] segments(int rows, Random random) {
        int[] segments = new int[rows];
        for (int i = 0; i < rows; ) {
            int value = random.nextInt(8);
            int run = random.nextInt(4) == 0 ? 1 + random.nextInt(40) : 1;
            for (int end = Math.min(rows, i + run); i < end; i++) {
                segments[i] = value;
            }
        }
        return segments;
    }

    @ParameterizedTest
    @EnumSource(ParquetCodec.class)
    void everyColumnTypeReadsBackThroughSegmentasReaderWithEachCodec(ParquetCodec codec) throws IOException {
        // More rows than one page of dictionary indices, and not a multiple of 8, in two row groups.
        int rows = 300_001;
        Random random = new Random(16);
        long[] ids = new long[rows];
        int[] segments = segments(rows, random);
        int[] constant = new int[rows];
        int[] counts = new int[rows];
        float[] distances = new float[rows];
        double[] scores = new double[rows];
        String[] labels = new String[rows];
        String[] names = new String[rows];
        long[] times = new long[rows];
        String[] labelOf = {"low spend", "high spend, few orders", "", "ünïcödé", "e", "f", "g", "h"};
        for (int i = 0; i < rows; i++) {
            ids[i] = 1_000_000_000_000L + i;
            constant[i] = 42;
            counts[i] = random.nextInt();
            distances[i] = i == 5 ? Float.NaN : random.nextFloat();
            scores[i] = random.nextGaussian();
            labels[i] = labelOf[segments[i]];
            names[i] = "customer-" + random.nextLong();
            times[i] = 1_700_000_000_000_000L + random.nextLong(1L << 40);
        }
        List<Column> schema = List.of(new Column("customer_id", ColumnType.INT64), new Column("segment", ColumnType.INT32),
                new Column("constant", ColumnType.INT32), new Column("count", ColumnType.INT32),
                new Column("distance", ColumnType.FLOAT32), new Column("score", ColumnType.FLOAT64),
                new Column("segment_label", ColumnType.UTF8), new Column("name", ColumnType.UTF8),
                new Column("seen", ColumnType.TIMESTAMP));
        Object[] columns = {ids, segments, constant, counts, distances, scores, labels, names, times};
        Path file = dir.resolve("types-" + codec + ".parquet");
        try (TableWriter out = new ParquetTableWriter(file, schema, AtomicFiles.createTemp(file), codec)) {
            int half = rows / 2;
            out.write(half, slices(columns, 0, half));
            out.write(rows - half, slices(columns, half, rows));
            out.commit();
        }
        List<List<Object>> read = readAll(file);
        assertEquals(schema.size(), read.size());
        for (int c = 0; c < schema.size(); c++) {
            List<Object> expected = boxed(columns[c]);
            assertEquals(rows, read.get(c).size(), schema.get(c).name());
            for (int i = 0; i < rows; i++) {
                if (!Objects.equals(expected.get(i), read.get(c).get(i))) {
                    throw new AssertionError(schema.get(c).name() + " row " + i + ": expected " + expected.get(i)
                            + ", read " + read.get(c).get(i));
                }
            }
        }
    }

    @Test
    void fewDistinctLabelsAndSegmentsAreDictionaryEncodedAndDistinctValuesArePlain() throws IOException {
        int rows = 50_000;
        Random random = new Random(3);
        int[] segments = segments(rows, random);
        String[] labels = new String[rows];
        String[] ids = new String[rows];
        float[] distances = new float[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = "segment " + segments[i];
            ids[i] = "c" + i;
            distances[i] = random.nextFloat();
        }
        Path file = dir.resolve("assignments.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("customer_id", ColumnType.UTF8),
                new Column("segment", ColumnType.INT32), new Column("segment_label", ColumnType.UTF8),
                new Column("distance", ColumnType.FLOAT32)))) {
            out.write(rows, ids, segments, labels, distances);
            out.commit();
        }
        Map<String, List<Page>> pages = pages(file);
        assertEquals(List.of(Encoding.PLAIN), encodings(pages.get("customer_id")), "ids: a dictionary would not pay");
        assertEquals(List.of(Encoding.DICTIONARY_PAGE, Encoding.RLE_DICTIONARY), encodings(pages.get("segment")));
        assertEquals(List.of(Encoding.DICTIONARY_PAGE, Encoding.RLE_DICTIONARY), encodings(pages.get("segment_label")));
        assertEquals(List.of(Encoding.PLAIN), encodings(pages.get("distance")));
        assertTrue(ParquetFooter.read(file).rowGroups().getFirst().columns().get(2).compressedBytes() < rows / 2,
                "labels take a few bits a row, not their text");
    }

    @Test
    void aDictionaryPastItsBoundFallsBackToPlain() throws IOException {
        // Each value twice in a row: the first rows pay for a dictionary, the whole chunk would not fit one.
        int rows = 2 * (ParquetDictionary.MAX_BYTES / 4 + 1_000);
        int[] numbers = new int[rows];
        String[] texts = new String[rows];
        for (int i = 0; i < rows; i++) {
            numbers[i] = i / 2 * 7;
            texts[i] = "value " + i / 2;
        }
        Path file = dir.resolve("fallback.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("n", ColumnType.INT32), new Column("t", ColumnType.UTF8)))) {
            out.write(rows, numbers, texts);
            out.commit();
        }
        Map<String, List<Page>> pages = pages(file);
        assertEquals(List.of(Encoding.PLAIN), encodings(pages.get("n")));
        assertEquals(List.of(Encoding.PLAIN), encodings(pages.get("t")));
        List<List<Object>> read = readAll(file);
        assertEquals(boxed(numbers), read.get(0));
        assertEquals(Arrays.asList(texts), read.get(1));
    }

    @Test
    void everyPageCarriesTheCrc32OfItsCompressedBytes() throws IOException {
        Path file = RoundTripTest.write(dir.resolve("crc.parquet"), RoundTripTest.Table.random(5_000, 9), ColumnType.UTF8, 2_000);
        Map<String, List<Page>> pages = pages(file);
        assertEquals(6, pages.size());
        for (Map.Entry<String, List<Page>> column : pages.entrySet()) {
            assertEquals(3, column.getValue().stream().filter(p -> p.encoding() != Encoding.DICTIONARY_PAGE).count(),
                    column.getKey() + ": a data page per row group");
            for (Page page : column.getValue()) {
                assertEquals(page.computedCrc(), page.crc(), column.getKey() + ": " + page);
            }
        }
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

    private static Object[] slices(Object[] columns, int from, int to) {
        return Arrays.stream(columns).map(c -> switch (c) {
            case long[] a -> Arrays.copyOfRange(a, from, to);
            case int[] a -> Arrays.copyOfRange(a, from, to);
            case float[] a -> Arrays.copyOfRange(a, from, to);
            case double[] a -> Arrays.copyOfRange(a, from, to);
            case String[] a -> Arrays.copyOfRange(a, from, to);
            default -> throw new IllegalArgumentException(c.getClass().getSimpleName());
        }).toArray();
    }

    /** The values of a column as Arrow's vectors give them (Text read back as String). */
    private static List<Object> boxed(Object column) {
        return switch (column) {
            case long[] a -> Arrays.stream(a).boxed().map(Object.class::cast).toList();
            case int[] a -> Arrays.stream(a).boxed().map(Object.class::cast).toList();
            case float[] a -> {
                List<Object> values = new ArrayList<>(a.length);
                for (float v : a) {
                    values.add(v);
                }
                yield values;
            }
            case double[] a -> Arrays.stream(a).boxed().map(Object.class::cast).toList();
            case String[] a -> Arrays.asList(a);
            default -> throw new IllegalArgumentException(column.getClass().getSimpleName());
        };
    }

    /** Every column of {@code file}, read through the reader every Segmenta command uses ({@link ArrowTable}). */
    private static List<List<Object>> readAll(Path file) {
        ColumnRequest<List<String>> everyColumn = new ColumnRequest<>() {
            @Override
            public List<String> resolve(Path f, Schema schema) {
                return schema.getFields().stream().map(Field::getName).toList();
            }

            @Override
            public List<String> projection(List<String> columns) {
                return columns;
            }

            @Override
            public Set<String> csvTextReadAsNumbers(List<String> textColumns, Function<List<String>, Set<String>> startingNumeric) {
                return Set.of();
            }

            @Override
            public Set<String> csvText() {
                return Set.of();
            }

            @Override
            public Map<String, ArrowType> csvTypes(List<String> columns) {
                return Map.of();
            }
        };
        ParquetScan.Opened<List<String>> opened = ParquetScan.open(file, everyColumn, 50_000);
        List<List<Object>> values = new ArrayList<>();
        try (ParquetScan scan = opened.scan()) {
            List<ColumnReader> readers = opened.columns().stream().map(scan::column).toList();
            for (int c = 0; c < readers.size(); c++) {
                values.add(new ArrayList<>());
            }
            ParquetScan.Slice append = (from, count, at) -> {
                for (int c = 0; c < readers.size(); c++) {
                    ColumnReader column = readers.get(c);
                    for (int i = from; i < from + count; i++) {
                        values.get(c).add(switch (column.getColumnSchema().type()) {
                            case INT64 -> column.getLongs()[i];
                            case INT32 -> column.getInts()[i];
                            case FLOAT -> column.getFloats()[i];
                            case DOUBLE -> column.getDoubles()[i];
                            case BYTE_ARRAY -> new String(column.getBinaryValues(), column.getBinaryOffsets()[i],
                                    column.getBinaryOffsets()[i + 1] - column.getBinaryOffsets()[i], StandardCharsets.UTF_8);
                            default -> throw new IllegalStateException("no such column here: " + column.getColumnSchema());
                        });
                    }
                }
            };
            int read;
            do {
                read = scan.read(1 << 16, append);
            } while (read > 0);
        }
        return values;
    }

    private enum Encoding { DICTIONARY_PAGE, PLAIN, RLE_DICTIONARY }

    /** A page header as written, with the CRC-32 of the bytes that follow it. */
    private record Page(Encoding encoding, int crc, int computedCrc) { }

    /** The distinct encodings of a column's pages, in the order they first appear. */
    private static List<Encoding> encodings(List<Page> pages) {
        return pages.stream().map(Page::encoding).distinct().toList();
    }

    /** Every column's pages, walked from each of its chunks' start as the footer declares it. */
    private static Map<String, List<Page>> pages(Path file) throws IOException {
        Map<String, List<Page>> pages = new java.util.LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(file)) {
            for (ParquetFooter.RowGroup group : ParquetFooter.read(file).rowGroups()) {
                for (ParquetFooter.ColumnChunk chunk : group.columns()) {
                    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(chunk.compressedBytes()));
                    channel.read(bytes, chunk.start());
                    bytes.flip();
                    List<Page> columnPages = pages.computeIfAbsent(chunk.column(), c -> new ArrayList<>());
                    while (bytes.hasRemaining()) {
                        columnPages.add(page(bytes));
                    }
                }
            }
        }
        return pages;
    }

    /** Reads the page header at {@code bytes}' position and moves past the page. */
    private static Page page(ByteBuffer bytes) {
        ThriftCompactReader in = new ThriftCompactReader(bytes);
        long type = -1;
        long size = -1;
        long crc = 0;
        long encoding = -1;
        in.beginStruct();
        for (int t = in.nextField(); t != ThriftCompactReader.STOP; t = in.nextField()) {
            switch (in.fieldId()) {
                case 1 -> type = in.readI64();
                case 3 -> size = in.readI64();
                case 4 -> crc = in.readI64();
                case 5 -> {
                    in.beginStruct();
                    for (int d = in.nextField(); d != ThriftCompactReader.STOP; d = in.nextField()) {
                        if (in.fieldId() == 2) {
                            encoding = in.readI64();
                        } else {
                            in.skip(d);
                        }
                    }
                }
                default -> in.skip(t);
            }
        }
        bytes.position(bytes.position() + in.position());
        CRC32 computed = new CRC32();
        computed.update(bytes.slice(bytes.position(), Math.toIntExact(size)));
        bytes.position(bytes.position() + Math.toIntExact(size));
        Encoding kind = type == 2 ? Encoding.DICTIONARY_PAGE : encoding == 0 ? Encoding.PLAIN
                : encoding == 8 ? Encoding.RLE_DICTIONARY : null;
        assertTrue(kind != null && (type == 0 || type == 2), "page type " + type + ", encoding " + encoding);
        return new Page(kind, (int) crc, (int) computed.getValue());
    }
}
