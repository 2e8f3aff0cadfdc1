package dev.segmenta.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data larger than a small heap ({@code -Xmx40m}), in child JVMs: the streaming commands ({@code fit
 * --out-of-core}, {@code predict}, {@code pca}, {@code drift}) run through,
 * the in-memory ones stop before the work (exit 6) with what they need and how to get it, and where
 * the need could not be foreseen, the out-of-memory error becomes the same kind of message, never a
 * stack trace.
 */
class MemoryTest {

    private static final String HEAP = "-Xmx40m";
    /** 1,000,000 customers x 8 features: about 56 MB held in memory for a fit, far less when streamed. */
    static final int CUSTOMERS = 1_000_000;

    @TempDir
    Path dir;

    private ChildCli.Result run(String... args) throws Exception {
        List<String> flags = new java.util.ArrayList<>(ChildCli.JVM_FLAGS);
        flags.add(HEAP);
        return ChildCli.run(ChildCli.command(List.of(), flags, List.of(args)), Files.createTempDirectory(dir, "logs"), 180);
    }

    @Test
    void notEnoughMemory() throws Exception {
        Path input = BigInputs.customers(CUSTOMERS, ".parquet");
        ChildCli.Result fit = run("fit", "-i", input.toString(), "--k", "4", "-m", dir.resolve("m.json").toString());
        assertEquals(ExitCodes.NOT_ENOUGH_MEMORY, fit.code(), fit::toString);
        ErrorCatalogueTest.Row documented = ErrorCatalogueTest.documentedRows().stream()
                .filter(r -> r.id().equals("not-enough-memory")).findFirst().orElseThrow();
        String line = fit.err().lines().filter(l -> l.startsWith("segmenta fit: ")).findFirst().orElseThrow()
                .substring("segmenta fit: ".length()).replace(input.toString(), "INPUT");
        assertTrue(documented.matches(line), () -> "docs/errors.md says '" + documented.message + "', printed: " + line);
        assertFalse(fit.err().contains("read 1,000,000"), () -> "fails before reading the file: " + fit);
        assertFalse(fit.err().contains("\tat "), fit::toString);

        ChildCli.Result demo = run("demo", "--customers", Integer.toString(CUSTOMERS));
        assertEquals(ExitCodes.NOT_ENOUGH_MEMORY, demo.code(), demo::toString);
        assertTrue(demo.err().contains("need about"), demo::toString);

        Path model = dir.resolve("small.json");
        ErrorCatalogueTest.fitModel(BigInputs.customers(1000, ".parquet"), model, "--k", "4");
        for (List<String> args : List.of(List.of("elbow", "-i", input.toString(), "--k", "2..3"),
                List.of("dbscan", "--suggest-eps", "-i", input.toString()),
                List.of("evaluate", "-m", model.toString(), "-i", input.toString()),
                List.of("report", "-m", model.toString(), "-i", input.toString(), "-o", dir.resolve("r.html").toString()))) {
            ChildCli.Result held = run(args.toArray(String[]::new));
            assertEquals(ExitCodes.NOT_ENOUGH_MEMORY, held.code(), held::toString);
            String prefix = "segmenta " + args.getFirst() + ": ";
            String message = held.err().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow()
                    .substring(prefix.length()).replace(input.toString(), "INPUT");
            assertTrue(documented.matches(message), () -> "docs/errors.md says '" + documented.message + "', printed: " + held);
        }
    }

    @Test
    void streamingCommandsRunInASmallHeap() throws Exception {
        Path input = BigInputs.customers(CUSTOMERS, ".parquet");
        Path model = dir.resolve("m.json");
        ChildCli.Result fit = run("fit", "-i", input.toString(), "--k", "4", "--out-of-core", "--max-iter", "2",
                "--n-init", "1", "-m", model.toString(), "-q");
        assertEquals(0, fit.code(), fit::toString);
        ChildCli.Result predict = run("predict", "-m", model.toString(), "-i", input.toString(),
                "-o", dir.resolve("p.arrows").toString());
        assertEquals(0, predict.code(), predict::toString);
        assertTrue(predict.out().contains("assigned 1,000,000 customers"), predict::toString);
        ChildCli.Result pca = run("pca", "-i", input.toString(), "-o", dir.resolve("pc.arrows").toString(), "-q");
        assertEquals(0, pca.code(), pca::toString);
        ChildCli.Result drift = run("drift", "-m", model.toString(), "--before", input.toString(), "--after", input.toString(), "-q");
        assertEquals(0, drift.code(), drift::toString);
    }

    /**
     * A CSV whose first megabyte has long lines (a notes column) and the rest short ones: the row
     * estimate is far too low, the load runs out of memory, and that becomes the exit-6 message.
     */
    @Test
    void anUnforeseenOutOfMemoryIsStillAClearMessage() throws Exception {
        Path input = dir.resolve("misleading.csv");
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            out.write("customer_id,a,b,c,d,note\n");
            String note = "x".repeat(2000);
            for (int i = 0; i < 2_000_000; i++) {
                out.write(i + "," + (i % 7) + "," + (i % 11) + "," + (i % 13) + "," + (i % 17) + "," + (i < 600 ? note : "") + "\n");
            }
        }
        ChildCli.Result fit = run("fit", "-i", input.toString(), "--k", "4", "--features", "a,b,c,d",
                "-m", dir.resolve("m.json").toString());
        assertEquals(ExitCodes.NOT_ENOUGH_MEMORY, fit.code(), fit::toString);
        assertTrue(fit.err().contains("ran out of memory"), fit::toString);
        assertFalse(fit.err().contains("\tat ") || fit.err().contains("OutOfMemoryError"), fit::toString);
    }
}
