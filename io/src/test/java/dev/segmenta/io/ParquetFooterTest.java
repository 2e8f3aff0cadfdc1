package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks around Arrow's native Parquet decoder: a file built byte by byte here (one FLOAT column
 * "x", PLAIN, uncompressed) reads back, and each lie told in its footer (before the decoder runs) or
 * in its page headers (when the scan ends short) is refused with a message that names it.
 */
class ParquetFooterTest {

    private static final float[] VALUES = {1.5f, -2f, 3.25f};

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("readers release their buffers on failure too");
    }

    /** What the test file declares; each test changes one thing. */
    private record Lies(int pageType, int pageValues, long chunkValues, long groupRows, long fileRows,
                        long chunkBytesExtra, int dictionaryEntries) {
        static Lies none() {
            return new Lies(0, VALUES.length, VALUES.length, VALUES.length, VALUES.length, 0, -1);
        }
    }

    @Test
    void honestFileReadsBackAndCountsItsRowsFromTheFooter() throws IOException {
        Path file = write("honest.parquet", Lies.none());
        ParquetFooter footer = ParquetFooter.read(file);
        assertEquals(VALUES.length, footer.rows());
        assertEquals(List.of(new ParquetFooter.ColumnChunk("x", VALUES.length, 4, footer.rowGroups().get(0)
                .columns().get(0).compressedBytes(), 0)), footer.rowGroups().get(0).columns());
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            assertEquals(OptionalLong.of(VALUES.length), source.rowCount());
            FeatureBatch batch = source.next();
            assertArrayEquals(VALUES, batch.values());
            assertNull(source.next());
        }
    }

    @Test
    void filesWrittenByArrowPassTheChecks() throws IOException {
        Path file = RoundTripTest.write(dir.resolve("arrow.parquet"), RoundTripTest.Table.random(20_000, 5),
                ColumnType.INT64, 4096);
        ParquetFooter footer = ParquetFooter.read(file);
        assertEquals(20_000, footer.rows());
        for (ParquetFooter.RowGroup group : footer.rowGroups()) {
            assertEquals(6, group.columns().size());
            group.columns().forEach(chunk -> assertEquals(group.rows(), chunk.values(), chunk.column()));
        }
    }

    @Test
    void rowGroupClaimingMoreRowsThanItsColumnsHold() throws IOException {
        // The fuzzing finding: 237 billion rows declared in a 20-row file kept the native reader busy for minutes.
        assertFailure(write("rows.parquet", new Lies(0, 3, 3, 237_408_024_172L, 237_408_024_172L, 0, -1)),
                "row group 0 declares 237408024172 rows but its column 'x' holds 3 values");
    }

    @Test
    void fileRowCountDisagreeingWithItsRowGroups() throws IOException {
        assertFailure(write("sum.parquet", new Lies(0, 3, 3, 3, 4, 0, -1)),
                "its footer declares 4 rows but its row groups hold 3");
    }

    @Test
    void columnChunkBeyondTheEndOfTheData() throws IOException {
        assertFailure(write("beyond.parquet", new Lies(0, 3, 3, 3, 3, 1 << 20, -1)),
                "places column 'x' at bytes 4+", "outside the file's data");
    }

    @Test
    void pageHoldingFewerValuesThanTheFooterDeclaresIsCaught() throws IOException {
        // Arrow's native reader read the two values the page header admits and stopped there, without a
        // word; the decoders now count the rows of each column chunk.
        assertFailure(write("values.parquet", new Lies(0, 2, 3, 3, 3, 0, -1)),
                "column 'x', row group 0: its footer declares 3 rows but its pages hold 2");
    }

    @Test
    void pageOfUnknownTypeIsCaught() throws IOException {
        // Arrow's native reader skipped it; the decoders refuse it.
        assertFailure(write("type.parquet", new Lies(9, 3, 3, 3, 3, 0, -1)), "the page at byte 4 is of unknown type 9");
    }

    @Test
    void dictionaryClaimingMoreEntriesThanItsBytesHold() throws IOException {
        // Hardwood allocates the entries a dictionary header declares (4 GB here) before it reads them.
        assertFailure(write("dictionary.parquet", new Lies(0, 3, 3, 3, 3, 0, 1_000_000_000)),
                "column 'x', row group 0: the dictionary page at byte 4 declares 1000000000 values in");
    }

    @Test
    void compactReaderRefusesWhatCannotBeTrue() {
        // A list declaring 2^31-1 elements in three bytes, a struct nested 100 deep, an 11-byte varint.
        byte[] list = {0x19, (byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        byte[] nested = new byte[100];
        java.util.Arrays.fill(nested, (byte) 0x1c);
        byte[] varint = {0x16, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertMalformed(list, "length 2147483647 with 0 bytes left");
        assertMalformed(nested, "nested more than 64 deep");
        assertMalformed(varint, "varint longer than 10 bytes");
    }

    private static void assertMalformed(byte[] bytes, String expected) {
        ThriftCompactReader in = new ThriftCompactReader(ByteBuffer.wrap(bytes));
        ThriftCompactReader.Malformed e = assertThrows(ThriftCompactReader.Malformed.class, () -> {
            in.beginStruct();
            for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
                in.skip(type);
            }
        });
        assertTrue(e.getMessage().contains(expected), () -> "'" + expected + "' in: " + e.getMessage());
    }

    private static void assertFailure(Path file, String... parts) {
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
                while (source.next() != null) {
                    // drain
                }
            }
        });
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": not a readable Parquet file ("), message);
        assertFalse(message.contains("\n"), message);
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' in: " + message);
        }
    }

    /**
     * Writes a one-column Parquet file: an optional dictionary page (PLAIN floats), one data page of
     * {@link #VALUES} (or a page of {@code lies.pageType()}), and a footer, declaring what {@code lies} says.
     */
    private Path write(String name, Lies lies) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("PAR1".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer data = ByteBuffer.allocate(4 * VALUES.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : VALUES) {
            data.putFloat(v);
        }
        long chunkStart = file.size();
        if (lies.dictionaryEntries() >= 0) {
            file.writeBytes(new ThriftCompactWriter().beginStruct()
                    .i32Field(1, 2).i32Field(2, data.capacity()).i32Field(3, data.capacity())
                    .structField(7).i32Field(1, lies.dictionaryEntries()).i32Field(2, 0).endStruct()
                    .endStruct().toByteArray());
            file.writeBytes(data.array());
        }
        long dataPage = file.size();
        file.writeBytes(new ThriftCompactWriter().beginStruct()
                .i32Field(1, lies.pageType()).i32Field(2, data.capacity()).i32Field(3, data.capacity())
                .structField(5).i32Field(1, lies.pageValues()).i32Field(2, 0).i32Field(3, 3).i32Field(4, 3).endStruct()
                .endStruct().toByteArray());
        file.writeBytes(data.array());
        long chunkBytes = file.size() - chunkStart + lies.chunkBytesExtra();

        ThriftCompactWriter footer = new ThriftCompactWriter().beginStruct()
                .i32Field(1, 1)
                .listField(2, ThriftCompactReader.STRUCT, 2)
                .beginStruct().stringField(4, "schema").i32Field(5, 1).endStruct()
                .beginStruct().i32Field(1, 4).i32Field(3, 0).stringField(4, "x").endStruct()
                .i64Field(3, lies.fileRows())
                .listField(4, ThriftCompactReader.STRUCT, 1).beginStruct()
                .listField(1, ThriftCompactReader.STRUCT, 1).beginStruct().i64Field(2, chunkStart)
                .structField(3).i32Field(1, 4).listField(2, ThriftCompactReader.I32, 1).i32(0)
                .listField(3, ThriftCompactReader.BINARY, 1).string("x").i32Field(4, 0).i64Field(5, lies.chunkValues())
                .i64Field(6, chunkBytes).i64Field(7, chunkBytes).i64Field(9, dataPage)
                .i64Field(11, lies.dictionaryEntries() >= 0 ? chunkStart : 0).endStruct()
                .endStruct()
                .i64Field(2, chunkBytes).i64Field(3, lies.groupRows()).endStruct()
                .endStruct();
        byte[] meta = footer.toByteArray();
        file.writeBytes(meta);
        file.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.length).array());
        file.writeBytes("PAR1".getBytes(StandardCharsets.US_ASCII));
        return Files.write(dir.resolve(name), file.toByteArray());
    }
}
