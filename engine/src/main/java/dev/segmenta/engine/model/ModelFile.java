package dev.segmenta.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.engine.prep.Imputation;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.InputFiles;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
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
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": no such model file; write one with 'segmenta fit --model " + file + "'");
        }
        InputFiles.checkReadable(file);
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
        String problem = problem(m);
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

    /** What makes {@code m} unusable for scoring, or {@code null}: a model that loads is safe to apply. */
    private static String problem(SegmentModel m) {
        if (m == null) {
            return "it holds no model (JSON null or nothing)";
        }
        if (m.formatVersion() < SegmentModel.OLDEST_FORMAT_VERSION || m.formatVersion() > SegmentModel.FORMAT_VERSION) {
            return "format version " + m.formatVersion() + " is not supported (this Segmenta reads "
                    + SegmentModel.OLDEST_FORMAT_VERSION + " to " + SegmentModel.FORMAT_VERSION
                    + (m.formatVersion() > SegmentModel.FORMAT_VERSION ? "; it was written by a newer Segmenta" : "") + ")";
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
        if (m.centroids() == null || m.centroids().length != m.k() || m.k() < (m.density() == null ? 1 : 0)) {
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
        if (m.pca() != null && !validPca(m.pca(), m.dimensions())) {
            return "its pca section does not match its " + m.dimensions() + " features";
        }
        for (int j = 0; j < m.k(); j++) {
            float[] row = m.centroids()[j];
            if (row == null || row.length != m.spaceDimensions()) {
                return "centroid " + j + " does not have " + m.spaceDimensions() + " values";
            }
            for (float v : row) {
                if (!(Math.abs(v) <= Scaling.magnitudeLimit(m.spaceDimensions()))) {
                    return "centroid " + j + " holds " + v + ", not a finite value of a scaled feature";
                }
            }
        }
        return null;
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
