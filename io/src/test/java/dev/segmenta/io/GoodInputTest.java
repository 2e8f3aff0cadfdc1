package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Valid files of the kinds the user guide promises are read, with their values: none of them may be
 * called corrupt or read as other numbers. The Parquet files are pyarrow's (see {@code pyarrow/make.py}
 * among the test resources); the Arrow files are written here.
 */
class GoodInputTest {

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("readers release their buffers");
    }

    /** The file's features, read whole, as one block per feature; and its ids as text. */
    private record Read(List<String> features, List<float[]> columns, List<String> ids) { }

    private static Read read(Path file, ReadOptions options) {
        try (FeatureSource source = FeatureSource.open(file, options)) {
            FeatureBatch batch = source.next();
            List<float[]> columns = new ArrayList<>();
            for (int f = 0; f < batch.features(); f++) {
                float[] column = new float[batch.rows()];
                for (int r = 0; r < batch.rows(); r++) {
                    column[r] = batch.value(r, f);
                }
                columns.add(column);
            }
            List<String> ids = new ArrayList<>();
            for (int r = 0; r < batch.rows(); r++) {
                ids.add(batch.ids().text(r));
            }
            assertNull(source.next());
            return new Read(source.featureNames(), columns, ids);
        }
    }

    private Path resource(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = GoodInputTest.class.getResourceAsStream("pyarrow/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    /**
     * Pages as pyarrow writes them (v2 with zstd, v1 with snappy; dictionary-encoded, with nulls, in
     * row groups of 1,000 rows), read in blocks of 512 rows that cross the row groups' ends.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pages-v2-zstd.parquet", "pages-v1-snappy.parquet"})
    void parquetPagesOfEveryCommonKind(String name) throws IOException {
        Path file = resource(name);
        long row = 0;
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults().withBlockRows(512)
                .withMissing(ReadOptions.Missing.NULLS))) {
            assertEquals(List.of("x", "y", "k"), source.featureNames());
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                assertEquals(row, batch.firstRow());
                for (int r = 0; r < batch.rows(); r++, row++) {
                    assertEquals(Long.toString(3 * row), batch.ids().text(r));
                    assertEquals(row / 4.0f, batch.value(r, 0));
                    assertEquals(row % 7 == 0 ? Float.NaN : (float) row, batch.value(r, 1), "row " + row);
                    assertEquals(row % 5, batch.value(r, 2));
                }
            }
        }
        assertEquals(3000, row);
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
                while (source.next() != null) {
                    // drain
                }
            }
        });
        assertTrue(e.getMessage().contains("row 1, column 'y' is empty (null)"), e.getMessage());
    }

    @Test
    void unsignedIntegersAreReadAsUnsignedInParquet() throws IOException {
        Read read = read(resource("unsigned.parquet"), ReadOptions.defaults());
        assertEquals(List.of("u8", "u16", "u32", "u64"), read.features());
        assertArrayEquals(new float[] {255, 0, 1}, read.columns().get(0));
        assertArrayEquals(new float[] {65535, 0, 1}, read.columns().get(1));
        assertArrayEquals(new float[] {4294967295f, 0, 1}, read.columns().get(2));
        assertArrayEquals(new float[] {1e19f, 9.223372e18f, 1}, read.columns().get(3));
        assertEquals(List.of("18446744073709551615", "9223372036854775808", "7"), read.ids(),
                "uint64 ids are kept exactly, as text");
    }

    @Test
    void unsignedIntegersAreReadAsUnsignedInArrow() throws IOException {
        Path file = dir.resolve("unsigned.arrow");
        BufferAllocator allocator = Arrow.allocator();
        try (UInt8Vector id = new UInt8Vector("customer_id", allocator);
             UInt1Vector u8 = new UInt1Vector("u8", allocator);
             UInt2Vector u16 = new UInt2Vector("u16", allocator);
             UInt4Vector u32 = new UInt4Vector("u32", allocator);
             UInt8Vector u64 = new UInt8Vector("u64", allocator)) {
            long[] ids = {-1L, Long.MIN_VALUE, 7};
            long[] big = {-8446744073709551616L, Long.MIN_VALUE, 1};
            for (int i = 0; i < 3; i++) {
                id.setSafe(i, ids[i]);
                u8.setSafe(i, i == 0 ? 0xff : i - 1);
                u16.setSafe(i, i == 0 ? 0xffff : i - 1);
                u32.setSafe(i, i == 0 ? -1 : i - 1);
                u64.setSafe(i, big[i]);
            }
            write(file, null, id, u8, u16, u32, u64);
        }
        Read read = read(file, ReadOptions.defaults());
        assertArrayEquals(new float[] {255, 0, 1}, read.columns().get(0));
        assertArrayEquals(new float[] {65535, 0, 1}, read.columns().get(1));
        assertArrayEquals(new float[] {4294967295f, 0, 1}, read.columns().get(2));
        assertArrayEquals(new float[] {1e19f, 9.223372e18f, 1}, read.columns().get(3));
        assertEquals(List.of("18446744073709551615", "9223372036854775808", "7"), read.ids());
    }

    /** Rounded once, to nearest: not through a signed long, not truncated by halving. */
    @Test
    void uint64BecomesTheNearestFloat() {
        assertEquals(1.8446744e19f, UnsignedLongs.toFloat(-1L));
        assertEquals(9.223372e18f, UnsignedLongs.toFloat(Long.MIN_VALUE));
        // 2^63 + 2^39 + 1 lies just above the midpoint between the floats 2^63 and 2^63 + 2^40.
        assertEquals(Math.nextUp(9.223372e18f), UnsignedLongs.toFloat(Long.MIN_VALUE + (1L << 39) + 1));
        assertEquals(9.223372e18f, UnsignedLongs.toFloat(Long.MIN_VALUE + (1L << 39) - 1));
        assertEquals(12345f, UnsignedLongs.toFloat(12345));
    }

    @Test
    void float16InParquet() throws IOException {
        Read read = read(resource("float16.parquet"), ReadOptions.defaults());
        assertArrayEquals(new float[] {1.5f, -2f, 65504f}, read.columns().getFirst());
    }

    @Test
    void float16InArrow() throws IOException {
        Path file = dir.resolve("half.arrow");
        try (Float2Vector half = new Float2Vector("spend", Arrow.allocator())) {
            half.setSafeWithPossibleTruncate(0, 1.5f);
            half.setSafeWithPossibleTruncate(1, -2f);
            half.setSafeWithPossibleTruncate(2, 65504f);
            write(file, null, half);
        }
        assertArrayEquals(new float[] {1.5f, -2f, 65504f}, read(file, ReadOptions.defaults()).columns().getFirst());
    }

    /** An unused dictionary-encoded column (a pandas categorical) neither fails the read nor becomes a feature. */
    @Test
    void dictionaryEncodedColumnThatIsNotRead() throws IOException {
        Path file = dir.resolve("categories.arrow");
        BufferAllocator allocator = Arrow.allocator();
        DictionaryEncoding encoding = new DictionaryEncoding(1, false, new ArrowType.Int(32, true));
        try (VarCharVector values = new VarCharVector("regions", allocator);
             VarCharVector regions = new VarCharVector("region", allocator);
             Float8Vector spend = new Float8Vector("spend", allocator)) {
            String[] names = {"north", "south", "north"};
            for (int i = 0; i < 3; i++) {
                regions.setSafe(i, names[i].getBytes(StandardCharsets.UTF_8));
                spend.setSafe(i, i + 0.5);
            }
            values.setSafe(0, "north".getBytes(StandardCharsets.UTF_8));
            values.setSafe(1, "south".getBytes(StandardCharsets.UTF_8));
            values.setValueCount(2);
            regions.setValueCount(3);
            DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
            provider.put(new Dictionary(values, encoding));
            try (FieldVector encoded = (FieldVector) DictionaryEncoder.encode(regions, provider.lookup(1))) {
                write(file, provider, encoded, spend);
            }
        }
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f},
                read(file, ReadOptions.defaults().withFeatures(List.of("spend"))).columns().getFirst());
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of("spend"), read(file, ReadOptions.defaults().withWarnings(warnings::add)).features());
        assertEquals(List.of("column 'region' is dictionary-encoded (categorical); not used as a feature"), warnings);
    }

    /** Every column the default features leave out is named, once per open, with the reason. */
    @Test
    void columnsLeftOutOfTheDefaultFeaturesAreNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("mixed.csv"), """
                customer_id,region,spend,joined,vip
                1,north,2.5,2024-01-02T10:00:00,true
                2,south,3.5,2024-02-03T11:00:00,false
                """);
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of("spend"), read(file, ReadOptions.defaults().withWarnings(warnings::add)).features());
        assertEquals(List.of("column 'region' is text (Utf8); not used as a feature",
                "column 'joined' is a date or time (Timestamp(SECOND, null)); not used as a feature",
                "column 'vip' is true/false (Bool); not used as a feature"), warnings);
        warnings.clear();
        read(file, ReadOptions.defaults().withFeatures(List.of("spend")).withWarnings(warnings::add));
        assertEquals(List.of(), warnings, "named features leave nothing out by default");
    }

    private static void write(Path file, DictionaryProvider dictionaries, FieldVector... columns) throws IOException {
        for (FieldVector column : columns) {
            column.setValueCount(3);
        }
        try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(columns));
             ArrowFileWriter writer = new ArrowFileWriter(root, dictionaries, Channels.newChannel(Files.newOutputStream(file)))) {
            root.setRowCount(3);
            writer.start();
            writer.writeBatch();
            writer.end();
        }
    }
}
