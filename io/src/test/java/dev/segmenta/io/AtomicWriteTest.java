package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AtomicWriteTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static final List<Column> SCHEMA = List.of(new Column("customer_id", ColumnType.INT64),
            new Column("segment", ColumnType.INT32), new Column("distance", ColumnType.FLOAT32));

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".arrows", ".csv", ".csv.gz"})
    void closedWithoutCommitLeavesNoTargetAndNoTemp(String extension) throws IOException {
        Path target = dir.resolve("assignments" + extension);
        try (TableWriter out = TableWriter.open(target, SCHEMA)) {
            out.write(2, new long[] {1, 2}, new int[] {0, 1}, new float[] {0.5f, 1.5f});
        }
        assertEquals(List.of(), files());
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".arrows", ".csv", ".csv.gz"})
    void existingTargetStaysIntactUntilCommit(String extension) throws IOException {
        Path target = dir.resolve("assignments" + extension);
        Files.writeString(target, "previous run");
        try (TableWriter out = TableWriter.open(target, SCHEMA)) {
            out.write(2, new IdColumn.Longs(new long[] {7, 8}, 2), new int[] {0, 1}, new float[] {0.5f, 1.5f});
            assertEquals("previous run", Files.readString(target));
            out.commit();
        }
        assertEquals(List.of(target), files());
        try (FeatureSource back = FeatureSource.open(target, ReadOptions.defaults().withFeatures(List.of("distance")))) {
            FeatureBatch b = back.next();
            assertEquals(List.of("7", "8"), List.of(b.ids().text(0), b.ids().text(1)));
            assertEquals(1.5f, b.value(1, 0));
        }
    }

    @Test
    void misuseIsRejectedBeforeAnythingIsWritten() throws IOException {
        Path target = dir.resolve("out.csv");
        try (TableWriter out = TableWriter.open(target, SCHEMA)) {
            assertThrows(IllegalArgumentException.class, () -> out.write(2, new long[] {1, 2}, new float[] {0, 1},
                    new float[] {0.5f, 1.5f}));
            assertThrows(IllegalArgumentException.class, () -> out.write(3, new long[] {1, 2}, new int[] {0, 1},
                    new float[] {0.5f, 1.5f}));
        }
        assertThrows(IllegalArgumentException.class, () -> TableWriter.open(dir.resolve("out.xlsx"), SCHEMA));
        assertEquals(List.of(), files());
    }

    @Test
    void outputsGetTheUsualPermissionsNotTheOwnerOnlyOnesOfTemporaryFiles() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path model = dir.resolve("model.json");
        AtomicFiles.write(model, out -> out.write('1'));
        Path table = dir.resolve("table.csv");
        try (TableWriter out = TableWriter.open(table, SCHEMA)) {
            out.write(1, new long[] {1}, new int[] {0}, new float[] {0});
            out.commit();
        }
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(model));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(table));
    }

    @Test
    void aFailedWriteNamesItsTarget() {
        Path model = dir.resolve("model.json");
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(model, out -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(model.toString(), e.getFile());
        assertTrue(e.getReason().contains("No space left on device") && e.getReason().contains("free some space"),
                e.getReason());
    }

    @Test
    void atomicFilesWriteReplacesOnlyOnSuccess() throws IOException {
        Path model = dir.resolve("model.json");
        AtomicFiles.write(model, out -> out.write("{\"k\":3}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"k\":3}", Files.readString(model));
        assertThrows(IOException.class, () -> AtomicFiles.write(model, out -> {
            out.write("{\"k\":".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("{\"k\":3}", Files.readString(model));
        assertEquals(List.of(model), files());
        assertFalse(Files.exists(dir.resolve("missing-dir")));
        assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("missing-dir/model.json"), out -> { }));
    }
}
