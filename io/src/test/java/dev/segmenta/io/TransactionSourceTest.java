package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionSourceTest {

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("readers release their buffers");
    }

    private static List<TransactionBatch> readAll(Path file, TransactionOptions options) {
        List<TransactionBatch> blocks = new ArrayList<>();
        try (TransactionSource source = TransactionSource.open(file, options)) {
            for (TransactionBatch b = source.next(); b != null; b = source.next()) {
                blocks.add(b);
            }
            assertNull(source.next());
        }
        return blocks;
    }

    private static String failure(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> readAll(file, TransactionOptions.defaults()));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e.getMessage();
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /**
     * A uint64 id and amount above 2^63 were read as negative numbers (the amount then refused as a
     * refund), and a time in seconds beyond a long's microseconds wrapped to another time.
     */
    @Test
    void unsignedIdsAndAmountsAndTimesBeyondTheRange() throws IOException {
        Path file = dir.resolve("unsigned.parquet");
        try (var in = TransactionSourceTest.class.getResourceAsStream("pyarrow/transactions-unsigned.parquet")) {
            Files.copy(in, file);
        }
        TransactionBatch batch = readAll(file, TransactionOptions.defaults()).getFirst();
        assertEquals("18446744073709551615", batch.ids().text(0));
        assertEquals(1e19, batch.amounts()[0]);
        assertEquals(1_700_000_000_000_000L, batch.timestamps()[0]);
        assertEquals(Long.MAX_VALUE, batch.timestamps()[1], "kept at the end of the range, for RFM to refuse by name");
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".arrows", ".csv", ".csv.gz"})
    void writtenTimestampsAndAmountsReadBackExactly(String extension) throws IOException {
        int rows = 5000;
        SplittableRandom random = new SplittableRandom(3);
        long[] ids = new long[rows];
        long[] times = new long[rows];
        double[] amounts = new double[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = random.nextLong(1, 300);
            times[i] = 1_700_000_000_000_000L + random.nextLong(0, 86_400_000_000L * 400);
            amounts[i] = Math.round(random.nextDouble() * 50_000) / 100.0;
        }
        Path file = dir.resolve("log" + extension);
        try (TableWriter out = TableWriter.open(file, List.of(new Column("customer_id", ColumnType.INT64),
                new Column("timestamp", ColumnType.TIMESTAMP), new Column("amount", ColumnType.FLOAT64)))) {
            out.write(3000, ids, times, amounts);
            out.write(2000, RoundTripTest.slice(ids, 3000, 2000), RoundTripTest.slice(times, 3000, 2000),
                    RoundTripTest.slice(amounts, 3000, 2000));
            out.commit();
        }
        List<TransactionBatch> blocks = readAll(file, TransactionOptions.defaults().withBlockRows(1024));
        assertEquals(5, blocks.size());
        int row = 0;
        for (TransactionBatch b : blocks) {
            assertEquals(row, b.firstRow());
            // CSV ids are read as text, exactly as written; the other formats keep the integer type.
            boolean text = extension.startsWith(".csv");
            Class<? extends IdColumn> expected = text ? IdColumn.Utf8.class : IdColumn.Longs.class;
            assertInstanceOf(expected, b.ids());
            for (int i = 0; i < b.rows(); i++, row++) {
                assertEquals(Long.toString(ids[row]), b.ids().text(i));
                assertEquals(times[row], b.timestamps()[i], "row " + row);
                assertEquals(amounts[row], b.amounts()[i]);
            }
        }
        assertEquals(rows, row);
    }

    @Test
    void csvTimestampsInEveryIsoFormWithStringIdsAndIntegerAmounts() throws IOException {
        Path file = csv("log.csv", "order,customer,ts,value\n"
                + "1,anna,2024-03-01,10\n"
                + "2,bob,2024-03-01T10:00:00Z,20\n"
                + "3,anna,2024-03-02 08:30,5\n"
                + "4,bob,2024-03-02T10:00:00+01:00,0\n");
        List<TransactionBatch> blocks = readAll(file, TransactionOptions.defaults().withColumns("customer", "ts", "value"));
        TransactionBatch b = blocks.getFirst();
        assertEquals(4, b.rows());
        assertEquals("anna", b.ids().text(0));
        assertEquals("bob", b.ids().text(3));
        long day = IsoTimestamps.MICROS_PER_DAY;
        long march1 = IsoTimestamps.epochDay(2024, 3, 1) * day;
        assertArrayEquals(new long[] {march1, march1 + 10 * 3_600_000_000L, march1 + day + 8 * 3_600_000_000L + 30 * 60_000_000L,
                march1 + day + 9 * 3_600_000_000L}, java.util.Arrays.copyOf(b.timestamps(), 4));
        assertArrayEquals(new double[] {10, 20, 5, 0}, java.util.Arrays.copyOf(b.amounts(), 4));
    }

    @Test
    void badTimestampNamesRowAndValue() throws IOException {
        String message = failure(csv("bad-ts.csv", "customer_id,timestamp,amount\n1,2024-03-01,10\n2,yesterday,5\n"));
        assertTrue(message.contains("row 2, column 'timestamp'") && message.contains("'yesterday'")
                && message.contains("ISO-8601"), message);
    }

    @Test
    void negativeAmountNamesTheRow() throws IOException {
        String message = failure(csv("refund.csv", "customer_id,timestamp,amount\n1,2024-03-01,10\n1,2024-03-02,-4.5\n"));
        assertTrue(message.contains("row 2, column 'amount'") && message.contains("-4.5, negative")
                && message.contains("refunds"), message);
    }

    @Test
    void missingAmountTimestampOrId() throws IOException {
        assertTrue(failure(csv("no-amount.csv", "customer_id,timestamp,amount\n1,2024-03-01,\n"))
                .contains("row 1, column 'amount' (the amount) is empty"));
        assertTrue(failure(csv("no-ts.csv", "customer_id,timestamp,amount\n1,2024-03-01,1\n2,,3\n"))
                .contains("row 2, column 'timestamp' (the purchase time) is empty"));
        assertTrue(failure(csv("no-id.csv", "customer_id,timestamp,amount\n1,2024-03-01,1\n,2024-03-01,3\n"))
                .contains("row 2, column 'customer_id' (the id) is empty"));
    }

    @Test
    void badAmountCellIsACsvConversionError() throws IOException {
        assertTrue(failure(csv("typo.csv", "customer_id,timestamp,amount\n1,2024-03-01,1\n2,2024-03-01,12a\n"))
                .contains("row 2, column 'amount'"));
    }

    @Test
    void missingColumnListsTheAvailableOnes() throws IOException {
        String message = failure(csv("cols.csv", "customer_id,date,amount\n1,2024-03-01,1\n"));
        assertTrue(message.contains("no column named 'timestamp'") && message.contains("customer_id, date, amount"),
                message);
    }

    @Test
    void integerTimestampColumnIsRejectedWithTheAcceptedForms() throws IOException {
        Path file = dir.resolve("epoch.parquet");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("customer_id", ColumnType.INT64),
                new Column("timestamp", ColumnType.INT64), new Column("amount", ColumnType.FLOAT64)))) {
            out.write(1, new long[] {1}, new long[] {1_700_000_000L}, new double[] {3});
            out.commit();
        }
        String message = failure(file);
        assertTrue(message.contains("column 'timestamp' has type Int(64, true)") && message.contains("ISO-8601"), message);
    }
}
