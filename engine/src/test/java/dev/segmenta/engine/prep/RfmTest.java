package dev.segmenta.engine.prep;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.IsoTimestamps;
import dev.segmenta.io.TransactionOptions;
import dev.segmenta.io.TransactionSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFM of a hand-made log, worked out by hand. */
class RfmTest {

    /**
     * a: Jan 10, Jan 20, Jan 15 for 10, 30, 20; b: Jan 5, Jan 6 for 5, 7.5; c: once, 2024-02-01T00:30+01:00,
     * which is Jan 31 in UTC, for 100. The last transaction is on Jan 31, so the default reference is Feb 1.
     */
    private static final String LOG = "customer_id,timestamp,amount\n"
            + "a,2024-01-10T10:00:00Z,10\n"
            + "b,2024-01-05,5\n"
            + "a,2024-01-20 09:00,30\n"
            + "c,2024-02-01T00:30:00+01:00,100\n"
            + "b,2024-01-06,7.5\n"
            + "a,2024-01-15,20\n";

    @TempDir
    Path dir;

    private Rfm rfm(String text, Long asOf, int blockRows) throws IOException {
        Path file = Files.writeString(dir.resolve("log.csv"), text);
        try (TransactionSource source = TransactionSource.open(file, TransactionOptions.defaults().withBlockRows(blockRows))) {
            return Rfm.compute(source, asOf, rows -> { });
        }
    }

    @Test
    void recencyFrequencyAndMonetaryByHand() throws IOException {
        Rfm rfm = rfm(LOG, null, 2);
        assertEquals(IsoTimestamps.parseDate("2024-02-01"), rfm.asOfDay());
        assertEquals(3, rfm.customers());
        assertEquals(6, rfm.transactions());
        Rfm.Block b = rfm.block(0, 3);
        assertEquals("a", b.ids().text(0));
        assertEquals("b", b.ids().text(1));
        assertEquals("c", b.ids().text(2));
        assertArrayEquals(new int[] {12, 26, 1}, b.recencyDays());
        assertArrayEquals(new int[] {3, 2, 1}, b.frequency());
        assertArrayEquals(new double[] {60, 12.5, 100}, b.monetaryTotal());
        assertArrayEquals(new double[] {20, 6.25, 100}, b.monetaryMean());
    }

    @Test
    void asOfDateCountsOnlyEarlierTransactions() throws IOException {
        Rfm rfm = rfm(LOG, IsoTimestamps.parseDate("2024-01-16"), 4);
        assertEquals(2, rfm.customers());
        assertEquals(4, rfm.transactions());
        assertEquals(2, rfm.ignored());
        Rfm.Block b = rfm.block(0, 2);
        assertArrayEquals(new int[] {1, 10}, b.recencyDays());
        assertArrayEquals(new int[] {2, 2}, b.frequency());
        assertArrayEquals(new double[] {30, 12.5}, b.monetaryTotal());
    }

    @Test
    void numericIdsAndABlockInTheMiddle() throws IOException {
        Rfm rfm = rfm("customer_id,timestamp,amount\n7,2024-03-01,1\n5,2024-03-02,2\n7,2024-03-03,3\n9,2024-03-03,4\n",
                null, 1);
        Rfm.Block b = rfm.block(1, 2);
        assertEquals("5", b.ids().text(0));
        assertEquals("9", b.ids().text(1));
        assertArrayEquals(new int[] {2, 1}, b.recencyDays());
    }

    @Test
    void aReferenceBeforeEveryTransactionIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class, () -> rfm(LOG, IsoTimestamps.parseDate("2023-06-01"), 16));
        assertTrue(e.getMessage().contains("all 6 transactions are on or after the --as-of date 2023-06-01"), e.getMessage());
    }
}
