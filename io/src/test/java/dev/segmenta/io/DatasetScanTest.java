package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native decoder's memory budget: a scan that needs more fails with a reason, and releases everything. */
class DatasetScanTest {

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
    void aScanOverItsBudgetFailsWithTheReason() throws Exception {
        Path file = parquet(200_000);
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (DatasetScan scan = DatasetScan.open(Arrow.allocator(), file, FileFormat.PARQUET, Optional.empty(),
                    List.of("spend"), 16_384, 4096); ArrowReader reader = scan.reader()) {
                rowsRead(scan);
            }
        });
        assertTrue(DatasetScan.nativeReason(e).contains("native memory"), DatasetScan.nativeReason(e));
    }

    @Test
    void theBudgetGrowsWithTheFile() throws IOException {
        Path small = Files.write(dir.resolve("small.bin"), new byte[10]);
        assertEquals(DatasetScan.MIN_BUDGET, DatasetScan.budget(small));
        assertEquals(DatasetScan.MIN_BUDGET, DatasetScan.budget(dir.resolve("missing")));
    }
}
