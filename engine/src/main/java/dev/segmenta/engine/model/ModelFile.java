package dev.segmenta.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes {@link SegmentModel} as JSON; writes are atomic (temporary file, then rename). */
public final class ModelFile {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFile() {
    }

    public static void write(SegmentModel model, Path target) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(model);
        AtomicFiles.write(target, out -> out.write(bytes));
    }

    public static SegmentModel read(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory; give the model JSON file written by 'segmenta fit --model'");
        }
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": no such model file; write one with 'segmenta fit --model " + file + "'");
        }
        if (!Files.isReadable(file)) {
            throw new UncheckedIOException(new AccessDeniedException(file.toString(), null,
                    "cannot be read (permission denied); check its permissions or run as a user who may read it"));
        }
        SegmentModel model;
        try {
            model = JSON.readValue(file.toFile(), SegmentModel.class);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new BadInputException(file + ": not a Segmenta model file" + where + ": "
                    + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("") + "; refit with 'segmenta fit --model'", e);
        } catch (CharConversionException e) {
            // Jackson's decoders report bytes that are no text in the encoding they detected this way.
            throw new BadInputException(file + ": not a Segmenta model file: " + e.getMessage()
                    + "; refit with 'segmenta fit --model'", e);
        } catch (IOException e) {
            // The file is there but cannot be read (permissions, a disk error): an I/O failure, not a bad model.
            throw new UncheckedIOException(e instanceof FileSystemException ? e
                    : new FileSystemException(file.toString(), null, "cannot be read (" + e.getMessage() + ")"));
        }
        validate(model, file);
        return model;
    }

    private static void validate(SegmentModel m, Path file) {
        String problem = problem(m);
        if (problem != null) {
            throw new BadInputException(file + ": invalid model: " + problem + "; refit with 'segmenta fit --model'");
        }
    }

    /** What makes {@code m} unusable for scoring, or {@code null}: a model that loads is safe to apply. */
    private static String problem(SegmentModel m) {
        if (m == null) {
            return "it holds no model (JSON null or nothing)";
        }
        if (m.formatVersion() != SegmentModel.FORMAT_VERSION) {
            return "format version " + m.formatVersion() + " is not supported (expected " + SegmentModel.FORMAT_VERSION + ")";
        }
        if (m.features() == null || m.features().isEmpty()) {
            return "it lists no features";
        }
        if (m.features().stream().anyMatch(f -> f == null || f.isEmpty())) {
            return "a feature has no name";
        }
        if (m.features().stream().distinct().count() != m.features().size()) {
            return "a feature is listed twice";
        }
        if (m.k() < 1 || m.centroids() == null || m.centroids().length != m.k()) {
            return "it should hold k=" + m.k() + " centroids";
        }
        Scaling scaling = m.scaling();
        if (scaling == null || scaling.offset() == null || scaling.scale() == null
                || scaling.offset().length != m.dimensions() || scaling.scale().length != m.dimensions()) {
            return "its scaling does not match its " + m.dimensions() + " features";
        }
        for (int f = 0; f < m.dimensions(); f++) {
            if (!(Math.abs(scaling.offset()[f]) <= Float.MAX_VALUE) || !(scaling.scale()[f] > 0)
                    || !(scaling.scale()[f] <= 2.0 * Float.MAX_VALUE)) {
                return "the scaling of feature '" + m.features().get(f) + "' is not a finite offset and a positive scale";
            }
        }
        for (int j = 0; j < m.k(); j++) {
            float[] row = m.centroids()[j];
            if (row == null || row.length != m.dimensions()) {
                return "centroid " + j + " does not have " + m.dimensions() + " values";
            }
            for (float v : row) {
                if (!(Math.abs(v) <= Scaling.magnitudeLimit(m.dimensions()))) {
                    return "centroid " + j + " holds " + v + ", not a finite value of a scaled feature";
                }
            }
        }
        return null;
    }
}
