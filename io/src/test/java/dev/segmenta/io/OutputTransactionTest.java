package dev.segmenta.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputTransactionTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void text(Path target, String content) throws IOException {
        AtomicFiles.write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void outputsAppearTogetherWhenTheWorkReturns() throws IOException {
        Path model = dir.resolve("m.json");
        Path table = dir.resolve("a.csv");
        Files.writeString(model, "old model");
        OutputTransaction.run(() -> {
            try (TableWriter out = TableWriter.open(table, List.of(new Column("segment", ColumnType.INT32)))) {
                out.write(2, (Object) new int[] {0, 1});
                out.commit();
            }
            text(model, "new model");
            assertEquals("old model", Files.readString(model), "nothing is published before the work is done");
            assertTrue(Files.notExists(table));
            return null;
        });
        assertEquals("new model", Files.readString(model));
        assertEquals("segment\n0\n1\n", Files.readString(table));
        assertEquals(List.of("a.csv", "m.json"), names());
    }

    @Test
    void workThatFailsPublishesNothing() throws IOException {
        Path model = dir.resolve("m.json");
        Files.writeString(model, "old model");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> OutputTransaction.run(() -> {
            text(dir.resolve("a.csv"), "new assignments");
            text(model, "new model");
            throw new IllegalStateException("a bad row found late");
        }));
        assertEquals("a bad row found late", failure.getMessage());
        assertEquals("old model", Files.readString(model));
        assertEquals(List.of("m.json"), names(), "no new output and no temporary file");
    }

    /** The second rename fails (its target became a directory): the first target gets its old content back. */
    @Test
    void aRenameThatFailsRestoresTheOutputsAlreadyReplaced() throws IOException {
        Path assignments = dir.resolve("a.csv");
        Path fresh = dir.resolve("new.csv");
        Path model = dir.resolve("m.json");
        Files.writeString(assignments, "old assignments");
        IOException failure = assertThrows(IOException.class, () -> OutputTransaction.run(() -> {
            text(assignments, "new assignments");
            text(fresh, "a file that did not exist");
            text(model, "new model");
            Files.createDirectories(model.resolve("in the way"));
            return null;
        }));
        assertTrue(failure.getMessage().contains("m.json"), failure::getMessage);
        assertEquals("old assignments", Files.readString(assignments));
        assertEquals(List.of("a.csv", "m.json"), names(), "the new file removed again, nothing kept or staged is left");
        assertTrue(Files.isDirectory(model));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndStays() throws IOException {
        Path real = Files.createDirectory(dir.resolve("models")).resolve("v1.json");
        Files.writeString(real, "old model");
        Path link = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("models/v1.json"));
        OutputTransaction.run(() -> {
            text(link, "new model");
            return null;
        });
        text(link, "newer model");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("newer model", Files.readString(real));
        Path dangling = Files.createSymbolicLink(dir.resolve("next.json"), Path.of("models/v2.json"));
        text(dangling, "first of its name");
        assertEquals("first of its name", Files.readString(dir.resolve("models/v2.json")));
        assertTrue(Files.isSymbolicLink(dangling));
        try (Stream<Path> models = Files.list(dir.resolve("models"))) {
            assertEquals(2, models.count(), "no temporary file left beside the link's target");
        }
    }

    @Test
    void aLoopOfLinksIsRefusedByName() throws IOException {
        Path a = dir.resolve("a.json");
        Files.createSymbolicLink(a, Path.of("b.json"));
        Files.createSymbolicLink(dir.resolve("b.json"), Path.of("a.json"));
        IOException e = assertThrows(IOException.class, () -> text(a, "x"));
        assertTrue(e.getMessage().contains("a.json") && e.getMessage().contains("symbolic links"), e::getMessage);
    }
}
