package dev.segmenta.engine.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the model loader (Jazzer): any bytes either load as a model that
 * {@code predict} can use as is (k centroids of the right width, finite values, a usable scaling)
 * or fail with a one-line {@link BadInputException} naming the file. Anything else is a finding.
 *
 * <p>A normal build replays the seeds and past findings in
 * {@code src/test/resources/dev/segmenta/engine/model/ModelFileFuzzTestInputs/load/}. To fuzz for ten minutes:
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl engine -am verify -Dtest='ModelFileFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration=10m -Djazzer.hooks=true
 * </pre>
 */
class ModelFileFuzzTest {

    private static final Path FILE = scratchFile();

    @FuzzTest(maxDuration = "10m")
    void load(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        SegmentModel model;
        try {
            model = ModelFile.read(FILE);
        } catch (BadInputException e) {
            String message = e.getMessage();
            assertFalse(message.contains("\n"), () -> "one line: " + message);
            assertTrue(message.startsWith(FILE.toString()), () -> "names the file: " + message);
            return;
        }
        int d = model.dimensions();
        assertTrue(model.k() >= 1 && d >= 1);
        assertEquals(model.k() * d, model.flatCentroids().length);
        for (float c : model.flatCentroids()) {
            assertTrue(Float.isFinite(c));
        }
        assertEquals(d, model.features().stream().distinct().count(), "feature names are distinct and not null");
        FeatureBatch zeros = new FeatureBatch(new float[d], 1, d, 0, new IdColumn.Longs(new long[1], 1));
        model.scaling().apply(zeros);
        try {
            Scaling.checkScaled(zeros, model.features());
        } catch (BadInputException e) {
            return;
        }
        for (float v : zeros.values()) {
            assertTrue(Float.isFinite(v), "what predict scores is finite");
        }
    }

    private static Path scratchFile() {
        try {
            Path dir = Files.createTempDirectory("segmenta-model-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("model.json");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
