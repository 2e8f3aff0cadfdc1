package dev.segmenta.engine.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The launcher records its start-up cache with this run: every command in it must succeed, and it cleans up. */
class StartupTrainingTest {

    private static List<Path> trainingDirectories() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("segmenta-training")).toList();
        }
    }

    @Test
    void everyTrainingRunSucceedsAndLeavesNothingBehind() throws IOException {
        List<Path> before = trainingDirectories();
        StartupTraining.main(new String[0]);
        assertEquals(before, trainingDirectories());
    }
}
