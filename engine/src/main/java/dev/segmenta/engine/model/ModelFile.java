package dev.segmenta.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.engine.prep.Imputation;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.io.BadInputException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

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

    /**
     * A model that assigns customers by nearest centroid (k-means, mini-batch, hierarchical), for the
     * commands that score or compare assignments that way; a DBSCAN model is refused with the reason.
     */
    public static SegmentModel readCentroidModel(Path file, String command) {
        SegmentModel model = read(file);
        if (model.density() != null) {
            throw new BadInputException(file + ": a DBSCAN model labels customers by its core points and leaves "
                    + "noise in no segment, but '" + command + "' assigns by nearest centroid; use a kmeans, minibatch "
                    + "or hierarchical model, or 'segmenta predict' for DBSCAN's assignments");
        }
        return model;
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
        return upgraded(model);
    }

    /**
     * An older model in the current format's terms: a format-1 model gets no preparation and numbered
     * labels; formats 1 and 2 hold neither density nor hierarchy, which are null already.
     */
    private static SegmentModel upgraded(SegmentModel m) {
        if (m.formatVersion() == SegmentModel.FORMAT_VERSION) {
            return m;
        }
        boolean first = m.formatVersion() == 1;
        return new SegmentModel(SegmentModel.FORMAT_VERSION, m.segmentaVersion(), m.algorithm(), m.initialization(),
                m.k(), m.features(), m.scaling(), m.centroids(), m.seed(), m.restarts(), m.maxIterations(),
                m.tolerance(), m.inertia(), m.iterations(), m.converged(), m.backend(), m.trainingRows(),
                m.segmentSizes(), m.source(), m.createdAt(), first ? Preparation.none() : m.preparation(),
                first ? SegmentLabels.numbered(m.k()) : m.segmentLabels(), m.pca(), m.density(), m.hierarchy());
    }

    private static void validate(SegmentModel m, Path file) {
        String problem = null;
        if (m.formatVersion() < SegmentModel.OLDEST_FORMAT_VERSION || m.formatVersion() > SegmentModel.FORMAT_VERSION) {
            problem = "format version " + m.formatVersion() + " is not supported (this Segmenta reads "
                    + SegmentModel.OLDEST_FORMAT_VERSION + " to " + SegmentModel.FORMAT_VERSION
                    + (m.formatVersion() > SegmentModel.FORMAT_VERSION ? "; it was written by a newer Segmenta" : "") + ")";
        } else if (m.features() == null || m.features().isEmpty()) {
            problem = "it lists no features";
        } else if (m.centroids() == null || m.centroids().length != m.k() || m.k() < (m.density() == null ? 1 : 0)) {
            problem = "it should hold k=" + m.k() + " centroids";
        } else if (m.scaling() == null || m.scaling().offset() == null || m.scaling().scale() == null
                || m.scaling().offset().length != m.dimensions() || m.scaling().scale().length != m.dimensions()) {
            problem = "its scaling does not match its " + m.dimensions() + " features";
        } else if (m.pca() != null && !validPca(m.pca(), m.dimensions())) {
            problem = "its pca section does not match its " + m.dimensions() + " features";
        } else {
            for (int j = 0; j < m.k(); j++) {
                float[] row = m.centroids()[j];
                if (row == null || row.length != m.spaceDimensions()) {
                    problem = "centroid " + j + " does not have " + m.spaceDimensions() + " values";
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
        if (problem == null && m.formatVersion() >= 2) {
            problem = preparationProblem(m);
        }
        if (problem == null && m.density() != null) {
            problem = densityProblem(m);
        }
        if (problem != null) {
            throw new BadInputException(file + ": invalid model: " + problem + "; refit with 'segmenta fit --model'");
        }
    }

    private static boolean validPca(Pca pca, int d) {
        if (pca.mean() == null || pca.mean().length != d || pca.components() == null || pca.components().length < 1
                || pca.components().length > d || pca.explainedVariance() == null
                || pca.explainedVariance().length != pca.components().length) {
            return false;
        }
        for (double[] component : pca.components()) {
            if (component == null || component.length != d) {
                return false;
            }
            for (double v : component) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String densityProblem(SegmentModel m) {
        SegmentModel.Density density = m.density();
        if (!(density.eps() > 0) || Double.isInfinite(density.eps()) || density.minSamples() < 1) {
            return "its DBSCAN eps " + density.eps() + " or min samples " + density.minSamples() + " is out of range";
        }
        if (m.pca() != null) {
            return "a DBSCAN model cannot have a PCA step";
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

    /** What is wrong with a format-2 model's preparation or labels, or {@code null}. */
    private static String preparationProblem(SegmentModel m) {
        Preparation p = m.preparation();
        if (p == null) {
            return "it has no preparation section";
        }
        Imputation imputation;
        try {
            imputation = p.imputation();
            p.deduplication();
        } catch (IllegalArgumentException | NullPointerException e) {
            return "its preparation is unreadable (" + e.getMessage() + ")";
        }
        if (imputation.fills() != (p.fill() != null) || p.fill() != null && p.fill().length != m.dimensions()) {
            return "its fill values do not match " + imputation.label() + " imputation of " + m.dimensions() + " features";
        }
        if (p.fill() != null && Arrays.stream(p.fill()).anyMatch(v -> !Double.isFinite(v))) {
            return "a fill value is not finite";
        }
        for (String name : p.log1p()) {
            if (!m.features().contains(name)) {
                return "log1p names '" + name + "', which is not one of its features";
            }
        }
        if (m.segmentLabels() == null || m.segmentLabels().size() != m.k()) {
            return "it should hold k=" + m.k() + " segment labels";
        }
        return null;
    }
}
