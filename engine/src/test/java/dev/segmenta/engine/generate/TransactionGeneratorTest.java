package dev.segmenta.engine.generate;

import dev.segmenta.io.IsoTimestamps;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionGeneratorTest {

    private static final long FIRST = IsoTimestamps.parseDate("2024-01-01");
    private static final long LAST = IsoTimestamps.parseDate("2024-06-30");

    @Test
    void chunksDependOnlyOnTheSeedAndStayInsideThePeriod() {
        TransactionGenerator a = new TransactionGenerator(40_000, 1000, 4, 9, FIRST, LAST);
        TransactionGenerator b = new TransactionGenerator(40_000, 1000, 4, 9, FIRST, LAST);
        assertEquals(3, a.chunkCount());
        TransactionGenerator.Chunk last = a.chunk(2);
        assertEquals(40_000 - 2 * TransactionGenerator.CHUNK_ROWS, last.rows());
        assertArrayEquals(last.amounts(), b.chunk(2).amounts());
        assertArrayEquals(a.chunk(0).timestamps(), b.chunk(0).timestamps());
        for (int c = 0; c < 3; c++) {
            TransactionGenerator.Chunk chunk = a.chunk(c);
            for (int i = 0; i < chunk.rows(); i++) {
                assertTrue(chunk.ids()[i] >= 1 && chunk.ids()[i] <= 1000);
                long day = Math.floorDiv(chunk.timestamps()[i], IsoTimestamps.MICROS_PER_DAY);
                assertTrue(day >= FIRST && day <= LAST, "day " + day);
                assertTrue(chunk.amounts()[i] >= 0.01 && chunk.amounts()[i] == Math.round(chunk.amounts()[i] * 100) / 100.0);
            }
        }
    }

    @Test
    void segmentsDifferInHowOftenAndHowMuchTheirCustomersBuy() {
        int segments = 3;
        TransactionGenerator generator = new TransactionGenerator(300_000, 3000, segments, 4, FIRST, LAST);
        long[] customers = new long[segments];
        for (long id = 1; id <= 3000; id++) {
            customers[generator.segmentOf(id)]++;
        }
        double[] purchases = new double[segments];
        double[] logAmount = new double[segments];
        for (int c = 0; c < generator.chunkCount(); c++) {
            TransactionGenerator.Chunk chunk = generator.chunk(c);
            for (int i = 0; i < chunk.rows(); i++) {
                int s = generator.segmentOf(chunk.ids()[i]);
                purchases[s]++;
                logAmount[s] += Math.log(chunk.amounts()[i]);
            }
        }
        double[] rate = new double[segments];
        double[] basket = new double[segments];
        for (int s = 0; s < segments; s++) {
            assertTrue(customers[s] > 0, "segment " + s + " has customers");
            rate[s] = purchases[s] / customers[s];
            basket[s] = logAmount[s] / purchases[s];
        }
        for (int s = 0; s < segments; s++) {
            for (int t = s + 1; t < segments; t++) {
                double ratio = Math.max(rate[s], rate[t]) / Math.min(rate[s], rate[t]);
                assertTrue(ratio > 1.2 || Math.abs(basket[s] - basket[t]) > 0.3,
                        "segments " + s + " and " + t + " alike: rates " + rate[s] + ", " + rate[t]);
            }
        }
    }
}
