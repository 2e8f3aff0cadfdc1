package dev.segmenta.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Generated customer files shared by the tests that drive child processes, made once per test JVM
 * (each takes seconds) in a directory deleted when it exits.
 */
final class BigInputs {

    private static final Map<String, Path> FILES = new HashMap<>();
    private static Path directory;

    private BigInputs() {
    }

    /** {@code customers} generated customers with 8 features (seed 7), in the format of {@code extension}. */
    static synchronized Path customers(int customers, String extension) {
        return FILES.computeIfAbsent(customers + extension, key -> {
            Path file = directory().resolve("customers-" + customers + extension);
            StringWriter err = new StringWriter();
            int code = SegmentaCli.run(new String[] {"generate", "--customers", Integer.toString(customers), "--out",
                    file.toString(), "--quiet"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
            if (code != 0) {
                throw new IllegalStateException("generate failed: " + err);
            }
            file.toFile().deleteOnExit();
            return file;
        });
    }

    static synchronized Path directory() {
        if (directory == null) {
            try {
                directory = Files.createTempDirectory("segmenta-big-inputs");
                directory.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }
}
