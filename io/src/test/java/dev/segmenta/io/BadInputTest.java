package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every way the input can be wrong yields one line naming the file, the place and the fix. */
class BadInputTest {

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("readers release their buffers on failure too");
    }

    /** Reads the whole file and returns the failure's message, checked to be one line naming the file. */
    private static String failure(Path file, ReadOptions options) {
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (FeatureSource source = FeatureSource.open(file, options)) {
                while (source.next() != null) {
                    // drain: value errors surface at the block that holds them
                }
            }
        });
        String message = e.getMessage();
        assertFalse(message.contains("\n"), () -> "one line: " + message);
        assertTrue(message.startsWith(file.toString()), () -> "names the file: " + message);
        return message;
    }

    private static String failure(Path file) {
        return failure(file, ReadOptions.defaults());
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path valid(String extension) throws IOException {
        return RoundTripTest.write(dir.resolve("valid" + extension), RoundTripTest.Table.random(20_000, 5),
                ColumnType.INT64, 4096);
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' in: " + message);
        }
    }

    @Test
    void missingFile() {
        assertContains(failure(dir.resolve("nope.parquet")), "no such file");
    }

    @Test
    void directory() throws IOException {
        assertContains(failure(Files.createDirectory(dir.resolve("data.parquet"))), "is a directory");
    }

    @Test
    void unreadableFile() throws IOException {
        Path file = valid(".csv");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "permissions do not apply to this user (root)");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FeatureSource.open(file, ReadOptions.defaults()));
        assertContains(e.getCause().getMessage(), "permission denied", "check its permissions");
    }

    @Test
    void unknownExtension() throws IOException {
        assertContains(failure(csv("customers.xlsx", "a\n1\n")), "unknown file type", ".parquet", ".csv");
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".csv"})
    void unknownFeatureColumnListsTheAvailableOnes(String extension) throws IOException {
        String message = failure(valid(extension), ReadOptions.defaults().withFeatures(List.of("spend", "age")));
        assertContains(message, "no column named 'age'", "available columns: customer_id, spend, visits");
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrows"})
    void nonNumericFeatureNamesItsType(String extension) throws IOException {
        Path file = dir.resolve("regions" + extension);
        try (TableWriter out = TableWriter.open(file, List.of(new Column("region", ColumnType.UTF8),
                new Column("spend", ColumnType.FLOAT32)))) {
            out.write(2, new String[] {"north", "south"}, new float[] {1, 2});
            out.commit();
        }
        assertContains(failure(file, ReadOptions.defaults().withFeatures(List.of("spend", "region"))),
                "column 'region' has type Utf8, not a number");
    }

    @Test
    void csvTextColumnNamedAsFeatureReportsTheFirstValue() throws IOException {
        Path file = csv("regions.csv", "customer_id,region,spend\n1,north,2.5\n2,south,3\n");
        assertContains(failure(file, ReadOptions.defaults().withFeatures(List.of("region"))),
                "row 1, column 'region'", "'north'", "make the value a number");
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            assertEquals(List.of("spend"), source.featureNames(), "a text column is no feature by default");
        }
    }

    @Test
    void csvBadCellInTheFirstBlockIsFoundNotSilentlyDropped() throws IOException {
        Path file = csv("typo.csv", "customer_id,spend,region\n1,2.5,north\n2,abc,south\n3,4,east\n");
        assertContains(failure(file), "row 2, column 'spend'", "invalid value 'abc'");
    }

    @Test
    void csvBadCellAfterTheFirstBlock() throws IOException {
        StringBuilder text = new StringBuilder("customer_id,spend,visits\n");
        for (int i = 1; i <= 200_000; i++) {
            text.append(i).append(',').append(i == 150_000 ? "12,5" : i + ".5").append(',').append(i % 7).append('\n');
        }
        Path file = csv("late-typo.csv", text.toString().replace("12,5,", "n/a?,"));
        assertContains(failure(file), "row 150000, column 'spend'", "invalid value 'n/a?'");
    }

    @Test
    void nullFeatureValue() throws IOException {
        Path file = csv("gap.csv", "customer_id,spend,visits\n1,2.5,3\n2,,4\n");
        assertContains(failure(file), "row 2, column 'spend'", "empty", "remove the row or fill in the value");
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void nonFiniteFeatureValue(float bad) throws IOException {
        Path file = dir.resolve("bad.arrow");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("x", ColumnType.FLOAT32)))) {
            out.write(3, (Object) new float[] {1, 2, 3});
            out.write(2, (Object) new float[] {4, bad});
            out.commit();
        }
        assertContains(failure(file, ReadOptions.defaults().withBlockRows(2)), "row 5, column 'x'", "is " + bad,
                "remove the row or fill in the value");
    }

    @Test
    void doubleBeyondFloatRange() throws IOException {
        assertContains(failure(csv("huge.csv", "x\n1\n1e300\n")), "row 2, column 'x'", "beyond the float32 range");
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".arrows", ".csv"})
    void emptyFile(String extension) throws IOException {
        assertContains(failure(Files.createFile(dir.resolve("empty" + extension))), "empty");
    }

    @Test
    void csvHeaderOnly() throws IOException {
        assertContains(failure(csv("header.csv", "customer_id,spend\n")), "has no data rows");
    }

    @ParameterizedTest
    @ValueSource(strings = {".arrow", ".arrows"})
    void tableWithoutRows(String extension) throws IOException {
        Path file = dir.resolve("none" + extension);
        try (TableWriter out = TableWriter.open(file, List.of(new Column("x", ColumnType.FLOAT32)))) {
            out.commit();
        }
        assertContains(failure(file), "has no data rows");
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".arrows"})
    void truncatedFile(String extension) throws IOException {
        Path file = valid(extension);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut" + extension), Arrays.copyOf(bytes, bytes.length / 2));
        assertContains(failure(cut), "truncated or corrupt", "re-export");
    }

    @Test
    void corruptParquetPage() throws IOException {
        Path file = valid(".parquet");
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 100; i < bytes.length / 2; i++) {
            bytes[i] = (byte) 0xA5;
        }
        // Segmenta's writer stores page checksums, so the scribble is caught before a page is decoded.
        assertContains(failure(Files.write(dir.resolve("scribbled.parquet"), bytes)), "corrupt", "re-export it");
    }

    private Path resource(String name) throws IOException {
        Path file = dir.resolve(name);
        try (var in = BadInputTest.class.getResourceAsStream("pyarrow/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }

    /** Flips one bit of the first occurrence of {@code value}'s 8 bytes in {@code file}. */
    private static Path flipBitOf(Path file, double value) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] pattern = new byte[8];
        java.nio.ByteBuffer.wrap(pattern).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(value);
        for (int i = 0; i + 8 <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + 8, pattern, 0, 8)) {
                bytes[i + 7] ^= 0x08;
                return Files.write(file, bytes);
            }
        }
        throw new AssertionError(value + " is not in " + file);
    }

    /** A flipped bit in a page made 0.057 read as 1.9e37, without a word. */
    @Test
    void pageChecksumMismatchInAFileWrittenByPyarrow() throws IOException {
        Path file = resource("checksums.parquet");
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            assertEquals(0.057f, source.next().value(0, 0), "the checksums of the intact file match");
        }
        assertContains(failure(flipBitOf(file, 0.057)), "column 'spend', row group 0: checksum mismatch in the page at byte",
                "the file is corrupt", "re-export it");
        assertEquals(List.of("customer_id"), idsOnly(file), "a column that is not read is not checked");
    }

    private static List<String> idsOnly(Path file) {
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults().withFeatures(List.of("customer_id"))
                .withIdColumn("none"))) {
            return source.featureNames();
        }
    }

    /** Segmenta's own Parquet files carry page checksums too. */
    @Test
    void pageChecksumMismatchInAFileWrittenBySegmenta() throws IOException {
        Path file = dir.resolve("own.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("spend", ColumnType.FLOAT64)))) {
            out.write(3, (Object) new double[] {0.057, 2, 3});
            out.commit();
        }
        assertContains(failure(flipBitOf(file, 0.057)), "column 'spend', row group 0: checksum mismatch");
    }

    @Test
    void brotliIsNamedAsUnsupportedNotCorrupt() throws IOException {
        assertContains(failure(resource("brotli.parquet")), "column 'customer_id' is compressed with BROTLI, which this build"
                + " cannot decompress; re-export it with snappy, zstd, gzip or lz4 compression");
    }

    @Test
    void parquetWithoutRowsFromPyarrow() throws IOException {
        assertContains(failure(resource("no-rows.parquet")), "has no data rows");
    }

    @Test
    void duplicateColumnNamesInParquet() throws IOException {
        assertContains(failure(resource("duplicate-names.parquet")), "column name 'spend' appears more than once");
    }

    /** One Latin-1 byte made Arrow take the column for binary, and the default features dropped it. */
    @Test
    void csvNonUtf8ByteInANumericColumn() throws IOException {
        Path file = Files.write(dir.resolve("latin1.csv"),
                "customer_id,spend,visits\n1,2.5,3\n2,4\u00e9,5\n3,1,2\n".getBytes(StandardCharsets.ISO_8859_1));
        assertContains(failure(file), "row 2, column 'spend'", "make the value a number or remove the row");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1,234\"", "\"1.234,5\"", "\"2,5\""})
    void csvThousandsSeparatorsOrDecimalComma(String cell) throws IOException {
        Path file = csv("locale.csv", "customer_id,spend,visits\n1," + cell + ",3\n2,\"2,000\",5\n3,7,2\n");
        assertContains(failure(file), "row 1, column 'spend'", "invalid value '" + cell.replace("\"", "") + "'",
                "write numbers without thousands separators and with '.' as the decimal point");
    }

    /** Arrow's reader refused a line over 1 MiB; the Java one takes rows of any length up to 1 GiB. */
    @Test
    void csvLineOfSeveralMegabytesIsRead() throws IOException {
        Path file = csv("long.csv", "customer_id,spend,note\n1,2.5," + "x".repeat(2 << 20) + "\n2,3,y\n");
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            assertEquals(List.of("spend"), source.featureNames());
            FeatureBatch batch = source.next();
            assertEquals(2, batch.rows());
            assertEquals(3f, batch.value(1, 0));
        }
    }

    /** A quote never closed makes the rest of the file one cell: named with the row and column it opens in. */
    @Test
    void csvQuoteNeverClosed() throws IOException {
        Path file = csv("quote.csv", "customer_id,spend,note\n1,2.5,ok\n2,3,\"never closed\n3,4,z\n");
        assertContains(failure(file), "row 2, column 'note' opens a quote '\"' that is never closed", "close the quote");
    }

    /** A spreadsheet's CSV where the comma is the decimal point: called truncated before, or read as one text column. */
    @ParameterizedTest
    @ValueSource(strings = {"customer_id;spend\n1;2,5\n", "customer_id;spend\n1;2\n", "customer_id\tspend\n1\t2.5\n"})
    void csvSeparatedByOtherThanCommas(String text) throws IOException {
        assertContains(failure(csv("semicolons.csv", text)), "its cells are separated by '", "not commas",
                "re-export it with ',' between the cells");
    }

    @Test
    void csvHeaderWithoutALineBreak() throws IOException {
        assertContains(failure(csv("header.csv", "customer_id,spend")), "has no data rows");
    }

    @Test
    void notARegularFile() {
        Path device = Path.of("/dev/zero");
        assumeTrue(Files.exists(device), "needs /dev/zero");
        BadInputException e = assertThrows(BadInputException.class, () -> FeatureSource.open(device, ReadOptions.defaults()));
        assertContains(e.getMessage(), "/dev/zero: is not a regular file");
    }

    @Test
    void duplicateColumnNames() throws IOException {
        assertContains(failure(csv("dup.csv", "customer_id,spend,spend\n1,2,3\n")),
                "column name 'spend' appears more than once");
    }

    /** Found by fuzzing: an Arrow schema may leave a column's name out, which ended in an NPE. */
    @Test
    void columnWithoutAName() throws IOException {
        Path file = dir.resolve("nameless.arrows");
        Schema schema = new Schema(List.of(new Field(null, FieldType.nullable(new ArrowType.FloatingPoint(
                FloatingPointPrecision.DOUBLE)), null)));
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, Arrow.allocator());
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Files.newOutputStream(file))) {
            ((Float8Vector) root.getVector(0)).setSafe(0, 1.5);
            root.setRowCount(1);
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        assertContains(failure(file), "column 1 has no name");
    }

    @Test
    void nullId() throws IOException {
        assertContains(failure(csv("noid.csv", "customer_id,spend\nA1,2\n,3\n")), "row 2, column 'customer_id'",
                "every row needs an id");
    }

    /**
     * A fuzzing finding: a 1,168-byte Arrow stream whose batch claims more rows than a column's buffers
     * hold, which Arrow met by growing the column to 1.8 GB. The decode budget stops it.
     */
    @Test
    void batchClaimingMoreValuesThanItsBuffersHold() throws IOException {
        Path file = dir.resolve("grows.arrow");
        try (var seed = BadInputTest.class.getResourceAsStream("ReaderFuzzTestInputs/arrow/batch-grows-a-column-to-1.8-GB")) {
            Files.copy(seed, file);
        }
        long peakBefore = Arrow.allocator().getPeakMemoryAllocation();
        assertContains(failure(file), "not a readable Arrow IPC file (a batch claims more values than its buffers hold");
        assertTrue(Arrow.allocator().getPeakMemoryAllocation() - peakBefore < 64 << 20, "Arrow allocated little");
    }

    /**
     * A fuzzing finding: a text column with an offset far out of place, which Arrow's full validation
     * met by allocating 67 MB on the heap for a 1 KB file (and could have made 2 GB).
     */
    @Test
    void textOffsetFarOutOfPlace() throws IOException {
        Path file = dir.resolve("offsets.arrow");
        try (var seed = BadInputTest.class.getResourceAsStream("ReaderFuzzTestInputs/arrow/text-offset-far-out-of-place")) {
            Files.copy(seed, file);
        }
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertContains(failure(file), "not a readable Arrow IPC file (column '", "has offset");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 32 << 20, () -> "allocated " + allocated + " bytes on the heap");
    }
}
