package dev.segmenta.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated customer and transaction files shared by the tests that drive child processes, made once per test JVM
 * (each takes seconds) in a directory deleted when it exits.
 */
final class BigInputs {

    private static final Map<String, Path> FILES = new HashMap<>();
    private static Path directory;

    private BigInputs() {
    }

    /** {@code customers} generated customers with 8 features (seed 7), in the format of {@code extension}. */
    static Path customers(int customers, String extension) {
        return generated("customers-" + customers + extension, "--customers", Integer.toString(customers));
    }

    /** A Parquet log of {@code transactions} generated transactions of 100,000 customers. */
    static Path transactions(int transactions) {
        return generated("transactions-" + transactions + ".parquet", "--transactions", Integer.toString(transactions),
                "--customers", "100000");
    }

    private static synchronized Path generated(String name, String... options) {
        return FILES.computeIfAbsent(name, key -> {
            Path file = directory().resolve(name);
            List<String> args = new ArrayList<>(List.of("generate"));
            args.addAll(List.of(options));
            args.addAll(List.of("--out", file.toString(), "--quiet"));
            StringWriter err = new StringWriter();
            int code = SegmentaCli.run(args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
            if (code != 0) {
                throw new IllegalStateException("generate failed: " + err);
            }
            file.toFile().deleteOnExit();
            return file;
        });
    }

    private static synchronized Path directory() {
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
