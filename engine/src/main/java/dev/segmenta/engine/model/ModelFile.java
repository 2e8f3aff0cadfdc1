package dev.segmenta.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.io.BadInputException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        SegmentModel model;
        try {
            model = JSON.readValue(file.toFile(), SegmentModel.class);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new BadInputException(file + ": no such model file; write one with 'segmenta fit --model " + file + "'");
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not a Segmenta model file (line " + e.getLocation().getLineNr()
                    + "): " + e.getOriginalMessage() + "; refit with 'segmenta fit --model'");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the model: " + e.getMessage());
        }
        validate(model, file);
        return model;
    }

    private static void validate(SegmentModel m, Path file) {
        String problem = null;
        if (m.formatVersion() != SegmentModel.FORMAT_VERSION) {
            problem = "format version " + m.formatVersion() + " is not supported (expected " + SegmentModel.FORMAT_VERSION + ")";
        } else if (m.features() == null || m.features().isEmpty()) {
            problem = "it lists no features";
        } else if (m.centroids() == null || m.centroids().length != m.k() || m.k() < (m.density() == null ? 1 : 0)) {
            problem = "it should hold k=" + m.k() + " centroids";
        } else if (m.scaling() == null || m.scaling().offset() == null || m.scaling().scale() == null
                || m.scaling().offset().length != m.dimensions() || m.scaling().scale().length != m.dimensions()) {
            problem = "its scaling does not match its " + m.dimensions() + " features";
        } else {
            for (int j = 0; j < m.k(); j++) {
                float[] row = m.centroids()[j];
                if (row == null || row.length != m.dimensions()) {
                    problem = "centroid " + j + " does not have " + m.dimensions() + " values";
                    break;
                }
                for (float v : row) {
                    if (!Float.isFinite(v)) {
                        problem = "centroid " + j + " holds a non-finite value";
                        break;
                    }
                }
            }
        }
        if (problem == null && m.density() != null) {
            problem = densityProblem(m);
        }
        if (problem != null) {
            throw new BadInputException(file + ": invalid model: " + problem + "; refit with 'segmenta fit --model'");
        }
    }

    private static String densityProblem(SegmentModel m) {
        SegmentModel.Density density = m.density();
        if (!(density.eps() > 0) || Double.isInfinite(density.eps()) || density.minSamples() < 1) {
            return "its DBSCAN eps " + density.eps() + " or min samples " + density.minSamples() + " is out of range";
        }
        float[][] core = density.corePoints();
        int[] segments = density.coreSegments();
        if (core == null || segments == null || core.length != segments.length) {
            return "its core points and their segments do not match";
        }
        for (int i = 0; i < core.length; i++) {
            if (core[i] == null || core[i].length != m.dimensions() || segments[i] < 0 || segments[i] >= m.k()) {
                return "core point " + i + " does not have " + m.dimensions() + " values and a segment below " + m.k();
            }
            for (float v : core[i]) {
                if (!Float.isFinite(v)) {
                    return "core point " + i + " holds a non-finite value";
                }
            }
        }
        return null;
    }
}
