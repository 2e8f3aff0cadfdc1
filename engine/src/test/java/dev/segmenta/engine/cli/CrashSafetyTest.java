package dev.segmenta.engine.cli;

import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} at random points while {@code fit}, {@code predict} and {@code generate} write
 * their outputs over earlier versions: every target is afterwards either byte for byte the previous
 * file or a complete new one (read to its end, every row there), never a partial file, and the input
 * is unchanged. A killed process runs no shutdown hooks, so its hidden temporary file may remain
 * beside the target (docs/errors.md); the target itself is only ever replaced by a rename.
 */
class CrashSafetyTest {

    private static final long[] SEEDS = {1, 2, 3};
    static final int ROWS = 150_000;

    @TempDir
    Path dir;
    @TempDir
    Path logs;

    @Test
    void killNineLeavesThePreviousOrTheCompleteFileNeverAPartialOne() throws Exception {
        Path input = BigInputs.customers(ROWS, ".parquet");
        String inputSum = Checksums.of(input);
        Path model = dir.resolve("m.json");
        Path assignments = dir.resolve("a.parquet");
        Path scored = dir.resolve("p.csv");
        Path generated = dir.resolve("g.arrow");
        Path otherModel = dir.resolve("other.json");
        ok("fit", "-i", input.toString(), "--k", "3", "--n-init", "1", "-m", model.toString(), "-a", assignments.toString());
        ok("fit", "-i", input.toString(), "--k", "5", "--n-init", "1", "-m", otherModel.toString());
        ok("predict", "-m", model.toString(), "-i", input.toString(), "-o", scored.toString());
        ok("generate", "--customers", "50000", "--seed", "1", "-o", generated.toString());
        Map<Path, String> current = new HashMap<>();
        for (Path target : List.of(model, assignments, scored, generated)) {
            current.put(target, Checksums.of(target));
        }
        Map<String, Integer> outcomes = new HashMap<>();
        for (long seed : SEEDS) {
            Random random = new Random(seed);
            boolean whileWriting = seed % 2 == 1;
            kill(List.of("fit", "-i", input.toString(), "--k", Integer.toString(4 + random.nextInt(4)), "--n-init", "1",
                    "--seed", Long.toString(seed), "-m", model.toString(), "-a", assignments.toString()),
                    random, whileWriting, 4000);
            kill(List.of("predict", "-m", seed % 3 == 0 ? model.toString() : otherModel.toString(), "-i", input.toString(),
                    "-o", scored.toString()), random, whileWriting, 3000);
            kill(List.of("generate", "--customers", "400000", "--seed", Long.toString(seed), "-o", generated.toString()),
                    random, whileWriting, 3000);
            for (Path target : current.keySet()) {
                String sum = Checksums.of(target);
                if (sum.equals(current.get(target))) {
                    outcomes.merge("previous", 1, Integer::sum);
                    continue;
                }
                assertComplete(target);
                outcomes.merge("complete new", 1, Integer::sum);
                current.put(target, sum);
            }
        }
        assertEquals(inputSum, Checksums.of(input), "the input is never modified");
        System.out.println("kill -9 outcomes over " + SEEDS.length + " seeds: " + outcomes);
    }

    private void ok(String... args) {
        ErrorCatalogueTest.Run run = ErrorCatalogueTest.inProcess(Stream.concat(Stream.of(args), Stream.of("-q"))
                .toArray(String[]::new));
        assertEquals(0, run.code(), run::toString);
    }

    /**
     * Starts the command and kills it with SIGKILL: {@code whileWriting}, at a random moment within
     * 200 ms of its first temporary file appearing; otherwise at a random moment of its first
     * {@code windowMillis}.
     */
    private void kill(List<String> args, Random random, boolean whileWriting, int windowMillis) throws Exception {
        Path childLogs = Files.createTempDirectory(logs, args.getFirst());
        // The child's temporary files in the test's directory: Arrow extracts its 76 MB native
        // library to java.io.tmpdir and deletes it at exit, which a killed child never reaches.
        List<String> flags = Stream.concat(ChildCli.JVM_FLAGS.stream(), Stream.of("-Djava.io.tmpdir=" + childLogs)).toList();
        Process child = ChildCli.start(ChildCli.command(List.of(), flags, args), childLogs);
        if (whileWriting) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!InterruptTest.hasTemporaryFile(dir) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(200));
        } else {
            Thread.sleep(random.nextInt(windowMillis));
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }

    /** Reads the whole file: a model must load and validate, a table must hold every row. */
    private static void assertComplete(Path target) {
        if (target.toString().endsWith(".json")) {
            ModelFile.read(target);
            return;
        }
        long rows = 0;
        try (FeatureSource source = FeatureSource.open(target, ReadOptions.defaults())) {
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                rows += batch.rows();
            }
        }
        long expected = target.getFileName().toString().startsWith("g.") ? 400_000 : ROWS;
        assertEquals(expected, rows, target + " is complete");
    }
}
