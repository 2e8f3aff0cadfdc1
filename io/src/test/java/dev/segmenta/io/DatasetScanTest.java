package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native decoder's memory budget: a scan that needs more fails with a reason, and releases everything. */
class DatasetScanTest {

    /** A pool of 4 KB; like the real one it outlives the scans (a closed pool must not see a late free). */
    private static final NativeMemoryPool TINY = DatasetScan.budgeted(4096);

    @TempDir
    Path dir;

    @AfterEach
    void noArrowMemoryLeft() {
        ArrowMemory.assertAllReleased("a scan over its budget releases its buffers");
    }

    private Path parquet(int rows) throws IOException {
        Path file = dir.resolve("c.parquet");
        float[] spend = new float[rows];
        for (int i = 0; i < rows; i++) {
            spend[i] = i * 0.37f;
        }
        try (TableWriter out = TableWriter.open(file, List.of(new Column("spend", ColumnType.FLOAT32)))) {
            out.write(rows, spend);
            out.commit();
        }
        return file;
    }

    private static long rowsRead(DatasetScan scan) throws IOException {
        long rows = 0;
        ArrowReader reader = scan.reader();
        while (reader.loadNextBatch()) {
            rows += reader.getVectorSchemaRoot().getRowCount();
        }
        return rows;
    }

    @Test
    void aScanWithinItsBudgetReadsEverything() throws Exception {
        Path file = parquet(200_000);
        try (DatasetScan scan = DatasetScan.open(Arrow.allocator(), file, FileFormat.PARQUET, Optional.empty(),
                List.of("spend"), 16_384); ArrowReader reader = scan.reader()) {
            assertEquals(200_000, rowsRead(scan));
        }
    }

    @Test
    void aScanOverTheBudgetFailsWithTheReason() throws Exception {
        Path file = parquet(200_000);
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (DatasetScan scan = DatasetScan.open(Arrow.allocator(), file, FileFormat.PARQUET, Optional.empty(),
                    List.of("spend"), 16_384, TINY); ArrowReader reader = scan.reader()) {
                rowsRead(scan);
            }
        });
        assertTrue(DatasetScan.nativeReason(e).contains("native memory that reads may hold"), DatasetScan.nativeReason(e));
    }

    @Test
    void theBudgetIsAQuarterOfTheMachineAndAtLeastAGigabyte() {
        assertTrue(DatasetScan.BUDGET >= DatasetScan.MIN_BUDGET);
    }
}
