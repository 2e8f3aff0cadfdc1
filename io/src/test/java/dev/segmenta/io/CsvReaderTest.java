package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the pure-Java CSV reader must get right beyond the catalogue's bad inputs: quoting across
 * lines and across the chunks the file is cut into, line endings, the byte order mark, numbers bit for
 * bit as {@link Double#parseDouble} reads them, and the same blocks whatever the chunking.
 */
class CsvReaderTest {

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("the CSV reader releases its batches");
    }

    private record Rows(List<String> features, List<String> ids, List<float[]> values) { }

    private static Rows readAll(Path file, ReadOptions options) {
        List<String> ids = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        try (FeatureSource source = FeatureSource.open(file, options)) {
            for (FeatureBatch b = source.next(); b != null; b = source.next()) {
                for (int r = 0; r < b.rows(); r++) {
                    ids.add(b.ids().text(r));
                    float[] row = new float[b.features()];
                    for (int f = 0; f < b.features(); f++) {
                        row[f] = b.value(r, f);
                    }
                    values.add(row);
                }
            }
            return new Rows(source.featureNames(), ids, values);
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void quotedCellsKeepCommasLineBreaksAndDoubledQuotes() throws IOException {
        Path file = write("quoted.csv", "customer_id,spend,note\n"
                + "\"a,1\",1.5,\"two\nlines\"\n"
                + "\"say \"\"hi\"\"\",2.5,x\n"
                + "c3,3.5,\"\"\n");
        Rows rows = readAll(file, ReadOptions.defaults());
        assertEquals(List.of("spend"), rows.features());
        assertEquals(List.of("a,1", "say \"hi\"", "c3"), rows.ids());
        assertArrayEquals(new float[] {2.5f}, rows.values().get(1));
    }

    @Test
    void crlfLineEndingsAndAByteOrderMark() throws IOException {
        byte[] text = "\ufeffcustomer_id,spend\r\n1,1.5\r\n\r\n2,\"2.5\"\r\n".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("windows.csv"), text);
        Rows rows = readAll(file, ReadOptions.defaults());
        assertEquals(List.of("spend"), rows.features(), "the header's first name has no BOM in front");
        assertEquals(List.of("1", "2"), rows.ids(), "the empty line is skipped, the \\r not kept");
        assertEquals(2.5f, rows.values().get(1)[0]);
    }

    @Test
    void lastLineWithoutALineBreak() throws IOException {
        Rows rows = readAll(write("open.csv", "customer_id,spend\n1,1.5\n2,2.5"), ReadOptions.defaults());
        assertEquals(List.of("1", "2"), rows.ids());
    }

    /**
     * Rows whose quoted cells span line breaks, over many chunks: every row is read whole, wherever a
     * chunk ends (some end in the middle of a quoted cell's text, which the cut must step over).
     */
    @Test
    void quotedLineBreaksAcrossChunks() throws IOException {
        int n = 200_000;
        StringBuilder text = new StringBuilder("customer_id,note,spend\n");
        for (int i = 0; i < n; i++) {
            text.append(i).append(",\"line one,\n\"\"line\"\" two ").append("y".repeat(i % 61)).append("\",").append(i).append(".25\n");
        }
        Path file = write("many.csv", text.toString());
        assertTrue(Files.size(file) > 3L * CsvReader.CHUNK_BYTES, "spans several chunks");
        Rows rows = readAll(file, ReadOptions.defaults().withBlockRows(1000));
        assertEquals(n, rows.ids().size());
        for (int i = 0; i < n; i += 997) {
            assertEquals(Integer.toString(i), rows.ids().get(i));
            assertEquals(i + 0.25f, rows.values().get(i)[0]);
        }
    }

    /** A chunk cut finder that took a quote for an end of quoting would split this row in two. */
    @Test
    void chunkCutNeverFallsInsideAQuotedCell() {
        byte[] text = "a,\"x\ny\"\"\nz\",b\nc,\"q\"\n\"\n\",d\n".getBytes(StandardCharsets.UTF_8);
        // The rows end after "b\n" (at 14), after "\"q\"\n" (at 20) and at the end (26); never inside quotes.
        assertEquals(14, CsvChunks.lastRowEnd(text, 17));
        assertEquals(20, CsvChunks.lastRowEnd(text, 24));
        assertEquals(text.length, CsvChunks.lastRowEnd(text, text.length));
        // A quote inside an unquoted cell is a character, as in Arrow's parser: 5'11" is one cell.
        byte[] height = "h,5'11\",x\nnext\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(10, CsvChunks.lastRowEnd(height, 12));
    }

    @Test
    void gzipCompressedCsvReadsTheSameRows() throws IOException {
        StringBuilder text = new StringBuilder("customer_id,spend,visits\n");
        for (int i = 0; i < 200_000; i++) {
            text.append("c").append(i).append(',').append(i * 0.5).append(',').append(i % 13).append('\n');
        }
        Path plain = write("c.csv", text.toString());
        Path gzip = dir.resolve("c.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(Files.readAllBytes(plain));
        }
        Rows a = readAll(plain, ReadOptions.defaults());
        Rows b = readAll(gzip, ReadOptions.defaults());
        assertEquals(a.ids(), b.ids());
        for (int i = 0; i < a.values().size(); i++) {
            assertArrayEquals(a.values().get(i), b.values().get(i));
        }
    }

    /**
     * The blocks are the same however the file is cut and whatever the thread count: the order is the
     * file's, and a bad cell far into the file is reported with its exact row, after all rows before it.
     */
    @Test
    void manyChunksInParallelKeepTheFileOrderAndRowNumbers() throws IOException {
        int n = 400_000;
        StringBuilder text = new StringBuilder("customer_id,spend,visits\n");
        SplittableRandom random = new SplittableRandom(7);
        double[] spend = new double[n];
        StringBuilder broken = new StringBuilder(text);
        for (int i = 0; i < n; i++) {
            spend[i] = random.nextDouble() * 1000;
            text.append(i).append(',').append(spend[i]).append(',').append(i % 5).append('\n');
            broken.append(i).append(',').append(i == 345_678 ? "oops" : Double.toString(spend[i])).append(',').append(i % 5)
                    .append('\n');
        }
        Path file = write("big.csv", text.toString());
        Rows rows = readAll(file, ReadOptions.defaults());
        assertEquals(n, rows.ids().size());
        for (int i = 0; i < n; i++) {
            assertEquals(Integer.toString(i), rows.ids().get(i));
            assertEquals((float) spend[i], rows.values().get(i)[0]);
        }
        Path bad = write("bad.csv", broken.toString());
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(bad, ReadOptions.defaults()));
        assertEquals(bad + ": row 345679, column 'spend': CSV conversion error to double: invalid value 'oops';"
                + " make the value a number or remove the row", e.getMessage());
    }

    @Test
    void shortRowIsNamedWithItsNumber() throws IOException {
        BadInputException e = assertThrows(BadInputException.class,
                () -> readAll(write("short.csv", "customer_id,spend,visits\n1,2.5,3\n2,4.5\n"), ReadOptions.defaults()));
        assertEquals(dir.resolve("short.csv") + ": row 2 has 2 values but the header has 3 columns; the file may be truncated"
                + " or a line broken, re-export it", e.getMessage());
    }

    @Test
    void nullSpellingsNanAndInfinity() throws IOException {
        Path file = write("nulls.csv", "x\n1\nNA\n\"\"\n#N/A\n NaN\nNAN\n 2.5 \n");
        Rows rows = readAll(file, ReadOptions.defaults().withMissing(ReadOptions.Missing.NULLS_AND_NAN));
        assertEquals(7, rows.values().size());
        float[] x = new float[7];
        for (int i = 0; i < 7; i++) {
            x[i] = rows.values().get(i)[0];
        }
        assertEquals(1f, x[0]);
        assertTrue(Float.isNaN(x[1]) && Float.isNaN(x[2]) && Float.isNaN(x[3]) && Float.isNaN(x[5]));
        // " NaN" is no null spelling (spaces are kept for that check) but reads as the number NaN.
        assertTrue(Float.isNaN(x[4]));
        assertEquals(2.5f, x[6], "spaces around a number are trimmed");
        BadInputException nan = assertThrows(BadInputException.class, () -> readAll(file, ReadOptions.defaults()
                .withMissing(ReadOptions.Missing.NULLS)));
        assertTrue(nan.getMessage().contains("row 5, column 'x' is NaN"), nan.getMessage());
        // Infinities are no missing values: the read rejects them whatever the policy, at the row.
        BadInputException e = assertThrows(BadInputException.class,
                () -> readAll(write("inf.csv", "x\n1\ninf\n"), ReadOptions.defaults().withMissing(ReadOptions.Missing.NULLS_AND_NAN)));
        assertTrue(e.getMessage().contains("row 2, column 'x' is Infinity"), e.getMessage());
    }

    @Test
    void textIsKeptExactlyAndNonUtf8TextIsNamed() throws IOException {
        Path file = write("ids.csv", "customer_id,x\n007,1\n\" 42 \",2\nÄ-17,3\n");
        assertEquals(List.of("007", " 42 ", "Ä-17"), readAll(file, ReadOptions.defaults()).ids());
        Path latin = Files.write(dir.resolve("latin.csv"), "customer_id,x\nab,1\nJos\u00e9,2\n".getBytes(StandardCharsets.ISO_8859_1));
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(latin, ReadOptions.defaults()));
        assertEquals(latin + ": row 2, column 'customer_id': CSV conversion error to string: invalid UTF8 data; the file is"
                + " not UTF-8 text (it may be Latin-1 or Windows-1252): re-save it as UTF-8", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer_id,spend\n", "\n\n", "\ufeff"})
    void headerOnlyOrNothing(String text) throws IOException {
        BadInputException e = assertThrows(BadInputException.class,
                () -> readAll(write("h.csv", text), ReadOptions.defaults()));
        assertTrue(e.getMessage().contains(text.startsWith("customer_id") ? "has no data rows" : "is empty (no header, no rows)"),
                e.getMessage());
    }

    /** The inferred types decide the default features and the warnings, as Arrow's inference did. */
    @Test
    void typesAreInferredAsArrowInferredThem() throws IOException {
        Path file = write("types.csv", """
                customer_id,n,b,d,t,ts,tsn,tsz,real,txt,none
                1,1,true,2024-01-02,10:00:00,2024-01-02 10:00,2024-01-02T10:00:00.5,2024-01-02T10:00:00Z,1e3,a,
                2,-2,0,2024-02-29,23:59,2024-01-02,2024-01-02,2024-01-02T10:00:00+01:00,2,b,NA
                """);
        List<String> warnings = new ArrayList<>();
        Rows rows = readAll(file, ReadOptions.defaults().withMissing(ReadOptions.Missing.NULLS).withWarnings(warnings::add));
        assertEquals(List.of("n", "real", "none"), rows.features());
        assertEquals(List.of("column 'b' is true/false (Bool); not used as a feature",
                "column 'd' is a date or time (Date(DAY)); not used as a feature",
                "column 't' is a date or time (Time(SECOND, 32)); not used as a feature",
                "column 'ts' is a date or time (Timestamp(SECOND, null)); not used as a feature",
                "column 'tsn' is a date or time (Timestamp(NANOSECOND, null)); not used as a feature",
                "column 'tsz' is a date or time (Timestamp(SECOND, UTC)); not used as a feature",
                "column 'txt' is text (Utf8); not used as a feature"), warnings);
    }

    /** Doubles bit for bit as Double.parseDouble reads the same text: random values in every form, and edge cases. */
    @Test
    void doublesAreExactlyWhatParseDoubleGives() {
        List<String> cases = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1", "-1", "+1", "1.", ".5", "00012.50",
                "9007199254740991", "9007199254740992", "9007199254740993", "18446744073709551615", "1e22", "1e23",
                "123456789012345678901234567890", "0.1", "0.2", "0.3", "2.2250738585072014E-308", "4.9e-324", "2e-324",
                "1.7976931348623157e308", "1.7976931348623159e308", "1e309", "1e-400", "3.141592653589793238462643383279",
                "1.00000000000000011102230246251565404236316680908203125", "123.456e-3", "5E+2", "7e0", "0e99999999999",
                "1234567890123456789", "12345678901234567890", "0.000000000000000000000000001234", "99999999999999999999e-20"));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 5) {
                case 0 -> Double.longBitsToDouble(random.nextLong() & 0x7fef_ffff_ffff_ffffL);
                case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
                case 2 -> random.nextInt(-1_000_000, 1_000_000) / 1000.0;
                default -> random.nextDouble() * 1000;
            };
            cases.add(Double.toString(v));
            cases.add(String.format(Locale.ROOT, "%." + random.nextInt(0, 20) + "f", v % 1e6));
            cases.add(String.format(Locale.ROOT, "%." + random.nextInt(0, 20) + "e", v));
            StringBuilder digits = new StringBuilder();
            for (int k = random.nextInt(1, 25); k > 0; k--) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            digits.insert(random.nextInt(digits.length() + 1), '.');
            cases.add((random.nextBoolean() ? "-" : "") + digits + (random.nextBoolean() ? "e" + random.nextInt(-330, 310) : ""));
        }
        for (String text : cases) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            long bits = CsvNumbers.parseDouble(bytes, 0, bytes.length);
            if (!text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                continue;
            }
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), bits, text);
        }
        for (String bad : List.of("", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", "0x10", "1d", "1f", "12a", "- 1", "1 2", "++1")) {
            byte[] bytes = bad.getBytes(StandardCharsets.US_ASCII);
            assertEquals(CsvNumbers.INVALID_BITS, CsvNumbers.parseDouble(bytes, 0, bytes.length), "'" + bad + "' is no number");
        }
    }
}
