package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the three readers, as feature readers and as the transaction reader
 * (Jazzer). Whatever the bytes, a reader either yields
 * blocks that hold what it promises or fails with a one-line {@link BadInputException} naming the
 * file, and it releases every Arrow buffer either way; any other exception, a hang or a crash of
 * the JVM is a finding.
 *
 * <p>In a normal build each method replays its seed corpus and past findings
 * ({@code src/test/resources/dev/segmenta/io/ReaderFuzzTestInputs/<method>/}) in well under a second.
 * To fuzz one reader for ten minutes (docs/architecture.md, "Reliability"):
 * <pre>
 * (ulimit -v 9000000; MAVEN_OPTS=-Xmx512m JAZZER_FUZZ=1 nice ./mvnw -B -pl io -am verify -Dtest='ReaderFuzzTest#arrow' \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m -Djazzer.hooks=true \
 *     -Djazzer.instrumentation_includes='dev.segmenta.**:org.apache.arrow.**:com.fasterxml.jackson.**')
 * </pre>
 * The memory limit turns a native decoder's runaway allocation into a finding (see {@code checkMessage}).
 * A finding is saved as a new input under the directory above and replays in every build from then on.
 */
class ReaderFuzzTest {

    /**
     * The most Arrow may have allocated (Java side, including what it imports from the native readers)
     * at once for inputs of a few KB; measured as growth of the root allocator's peak, which no
     * earlier test in the JVM can have raised past what an input then needs.
     */
    private static final long MAX_ARROW_PEAK_GROWTH = 512L << 20;
    private static final long ARROW_PEAK_AT_START = Arrow.allocator().getPeakMemoryAllocation();

    /** How Arrow's status for a failed native allocation begins. */
    private static final String NATIVE_OOM = "Out of memory: ";

    /** Small blocks, so a few rows already exercise blocks that span several Arrow batches. */
    private static final ReadOptions OPTIONS = ReadOptions.defaults().withBlockRows(64);

    @FuzzTest(maxDuration = "10m")
    void csv(byte[] bytes) {
        read(bytes, ".csv");
    }

    @FuzzTest(maxDuration = "10m")
    void parquet(byte[] bytes) {
        read(bytes, ".parquet");
    }

    /** Both Arrow IPC layouts: the reader tells the file format from the stream format by its magic bytes. */
    @FuzzTest(maxDuration = "10m")
    void arrow(byte[] bytes) {
        read(bytes, ".arrow");
    }

    /**
     * The transaction reader (RFM's input) on every format, its first byte choosing which: its own
     * column checks, timestamp types and ISO-8601 parsing, and amount checks, beyond what the feature
     * readers cover.
     */
    @FuzzTest(maxDuration = "10m")
    void transactions(byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        String extension = switch (bytes[0] & 3) {
            case 0 -> ".csv";
            case 1 -> ".parquet";
            default -> ".arrow";
        };
        Path file = FuzzFiles.write(Arrays.copyOfRange(bytes, 1, bytes.length), "transactions" + extension);
        TransactionOptions options = TransactionOptions.defaults().withBlockRows(64);
        try (TransactionSource source = TransactionSource.open(file, options)) {
            long rows = 0;
            for (TransactionBatch batch = source.next(); batch != null; batch = source.next()) {
                assertEquals(rows, batch.firstRow());
                assertTrue(batch.rows() > 0 && batch.rows() <= options.blockRows());
                assertEquals(batch.rows(), batch.ids().size());
                for (int i = 0; i < batch.rows(); i++) {
                    double amount = batch.amounts()[i];
                    assertTrue(Double.isFinite(amount) && amount >= 0, "amounts are finite and not negative");
                }
                rows += batch.rows();
            }
        } catch (BadInputException e) {
            checkMessage(e, file, bytes);
        }
        checkMemory(bytes);
    }

    private static void read(byte[] bytes, String extension) {
        Path file = FuzzFiles.write(bytes, "input" + extension);
        try (FeatureSource source = FeatureSource.open(file, OPTIONS)) {
            // What fit's memory check asks first: the row count, from the metadata alone.
            source.rowCount();
            long rows = 0;
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                assertEquals(rows, batch.firstRow());
                assertTrue(batch.rows() > 0 && batch.rows() <= OPTIONS.blockRows());
                assertEquals(batch.rows() * source.featureNames().size(), batch.values().length);
                assertEquals(batch.rows(), batch.ids().size());
                for (float v : batch.values()) {
                    assertTrue(Float.isFinite(v), "non-finite values are rejected by default");
                }
                rows += batch.rows();
            }
        } catch (BadInputException e) {
            checkMessage(e, file, bytes);
        }
        checkMemory(bytes);
    }

    private static void checkMemory(byte[] bytes) {
        ArrowMemory.assertAllReleased("every Arrow buffer is released");
        long growth = Arrow.allocator().getPeakMemoryAllocation() - ARROW_PEAK_AT_START;
        assertTrue(growth < MAX_ARROW_PEAK_GROWTH, () -> bytes.length + " bytes of input made Arrow hold " + growth
                + " bytes more than before at once");
    }

    private static void checkMessage(BadInputException e, Path file, byte[] bytes) {
        String message = e.getMessage();
        // Arrow's native decoders allocate outside the Java heap: under the fuzz command's memory limit
        // (ulimit -v) an input that makes them ask for gigabytes fails here instead of the OOM killer
        // ending the JVM with nothing saved. Messages quote cells, so the words must not come from the
        // input (the fuzzer soon learns them from this very check).
        assertFalse(message.contains(NATIVE_OOM) && !new String(bytes, StandardCharsets.ISO_8859_1).contains(NATIVE_OOM),
                () -> "a few KB of input exhausted native memory: " + message);
        assertFalse(message.contains("\n"), () -> "one line: " + message);
        assertTrue(message.startsWith(file.toString()), () -> "names the file: " + message);
    }

    /** Fuzz inputs go to one file per extension, in memory where the machine has a RAM disk. */
    static final class FuzzFiles {

        private static final Path DIRECTORY = directory();

        private FuzzFiles() {
        }

        static Path write(byte[] bytes, String name) {
            try {
                return Files.write(DIRECTORY.resolve(name), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path directory() {
            try {
                Path shm = Path.of("/dev/shm");
                Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                        ? Files.createTempDirectory(shm, "segmenta-fuzz") : Files.createTempDirectory("segmenta-fuzz");
                dir.toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
