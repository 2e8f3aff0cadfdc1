package dev.segmenta.engine.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.Linkage;
import dev.segmenta.engine.cluster.SpatialIndex;
import dev.segmenta.engine.prep.Deduplication;
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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and writes {@link SegmentModel} as JSON; writes are atomic (temporary file, then rename).
 *
 * <p>A model that loads is safe to apply: one JSON value, every field of the type it is written
 * with, every choice (algorithm, seeding, scaling, imputation, ...) one this version knows, and every
 * width agreeing with the features. A hand-edited file that breaks any of this is refused naming the
 * field, rather than failing later inside a command (or scoring with a setting it does not have).
 */
public final class ModelFile {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Newer files may carry fields this version does not know; those it knows must have their types:
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

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
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            model = parse(parser, file);
        } catch (JsonProcessingException e) {
            throw notAModel(file, e);
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

    /** The one model {@code parser} holds; a value of the wrong type is named while the parser still has it. */
    private static SegmentModel parse(JsonParser parser, Path file) throws IOException {
        SegmentModel model;
        try {
            model = JSON.readValue(parser, SegmentModel.class);
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw notAModel(file, e);
            }
            throw invalid(file, field(e.getPath()) + " is " + found(e) + ", not " + expected(e.getTargetType()));
        }
        String after = textAfter(parser);
        if (after != null) {
            throw invalid(file, after);
        }
        return model;
    }

    private static BadInputException notAModel(Path file, JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        return new BadInputException(file + ": not a Segmenta model file" + where + ": "
                + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("") + "; refit with 'segmenta fit --model'", e);
    }

    private static BadInputException invalid(Path file, String problem) {
        return new BadInputException(file + ": invalid model: " + problem + "; refit with 'segmenta fit --model'");
    }

    /**
     * What follows the model's JSON value, or {@code null} when nothing does: a second value or stray
     * text is a file edited or concatenated by hand, and which of the two values is meant cannot be known.
     */
    private static String textAfter(JsonParser parser) throws IOException {
        try {
            if (parser.nextToken() == null) {
                return null;
            }
        } catch (JsonProcessingException e) {
            // Not even a JSON token: still text after the model.
        }
        return "text follows the model's JSON value (line " + parser.currentLocation().getLineNr()
                + "), but a model file holds one JSON object";
    }

    /** A field as written in the file, e.g. {@code segmentLabels[1]} or {@code preparation.fill}. */
    private static String field(List<JsonMappingException.Reference> path) {
        StringBuilder name = new StringBuilder();
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                name.append(name.isEmpty() ? "" : ".").append(step.getFieldName());
            } else {
                name.append('[').append(step.getIndex()).append(']');
            }
        }
        return name.toString();
    }

    /** The value that does not fit, as written, or the kind of value it is. */
    private static String found(MismatchedInputException e) {
        JsonParser parser = e.getProcessor() instanceof JsonParser p ? p : null;
        JsonToken token = parser == null ? null : parser.currentToken();
        if (token == null) {
            return "not readable";
        }
        try {
            return switch (token) {
                case VALUE_STRING -> "'" + parser.getText() + "'";
                case VALUE_NULL, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY, END_ARRAY -> "a list";
                default -> "not readable";
            };
        } catch (IOException unreadable) {
            return "not readable";
        }
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "what a model holds there";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
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
        if (problem == null) {
            problem = choicesProblem(m);
        }
        if (problem == null && m.formatVersion() >= 2) {
            problem = preparationProblem(m);
        }
        if (problem == null && m.density() != null) {
            problem = densityProblem(m);
        }
        if (problem == null && m.hierarchy() != null) {
            problem = hierarchyProblem(m);
        }
        if (problem != null) {
            throw invalid(file, problem);
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
        String method = choice("scaling.method", scaling.method(), List.of(Scaling.ZSCORE, Scaling.MINMAX, Scaling.NONE));
        if (method != null) {
            return method;
        }
        for (int f = 0; f < m.dimensions(); f++) {
            // 'none' is applied as no scaling at all, so other values would be read by profiles and labels only.
            if (scaling.isIdentity() && (scaling.offset()[f] != 0 || scaling.scale()[f] != 1)) {
                return "scaling.method is none, but feature '" + m.features().get(f) + "' has offset "
                        + scaling.offset()[f] + " and scale " + scaling.scale()[f] + " (none means 0 and 1)";
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
        if (m.segmentSizes() == null || m.segmentSizes().length != m.k()) {
            return "segmentSizes should hold k=" + m.k() + " sizes";
        }
        for (int j = 0; j < m.k(); j++) {
            if (m.segmentSizes()[j] < 0) {
                return "segmentSizes[" + j + "] is " + m.segmentSizes()[j] + ", a negative number of customers";
            }
        }
        return null;
    }

    /**
     * What is wrong with the model's named choices, or {@code null}: each is one this version knows,
     * and the algorithm agrees with the sections only some algorithms have. The k-means settings are
     * checked where a k-means run is recorded ({@code initialization} given), as {@code report}
     * reruns k-means with them.
     */
    private static String choicesProblem(SegmentModel m) {
        String algorithm = choice("algorithm", m.algorithm(), SegmentModel.ALGORITHMS);
        if (algorithm != null) {
            return algorithm;
        }
        String sections = section(m, "density", m.density() != null, SegmentModel.DBSCAN);
        if (sections == null) {
            sections = section(m, "hierarchy", m.hierarchy() != null, SegmentModel.HIERARCHICAL);
        }
        if (sections != null) {
            return sections;
        }
        boolean kmeansRun = m.algorithm().equals(SegmentModel.KMEANS) || m.algorithm().equals(SegmentModel.MINIBATCH_KMEANS)
                || m.hierarchy() != null && m.hierarchy().microClusters() > 0;
        if (kmeansRun || m.initialization() != null) {
            String initialization = choice("initialization", m.initialization(), labels(Initialization.values(), Initialization::label));
            if (initialization != null) {
                return initialization;
            }
            if (m.maxIterations() < 1 || m.restarts() < 1) {
                return "maxIterations " + m.maxIterations() + " and restarts " + m.restarts() + " should both be at least 1";
            }
            if (!(m.tolerance() >= 0) || Double.isInfinite(m.tolerance())) {
                return "tolerance " + m.tolerance() + " is not a finite number >= 0";
            }
        }
        return null;
    }

    /** A mismatch between {@code algorithm} and the presence of the section only {@code owner} models have. */
    private static String section(SegmentModel m, String name, boolean present, String owner) {
        if (present && !m.algorithm().equals(owner)) {
            return "it has a " + name + " section, which only " + owner + " models have, but algorithm is '" + m.algorithm() + "'";
        }
        if (!present && m.algorithm().equals(owner)) {
            return "algorithm is " + owner + " but it has no " + name + " section";
        }
        return null;
    }

    /** {@code null} when {@code value} is one of {@code known}; otherwise what is wrong, naming {@code field}. */
    private static String choice(String field, String value, List<String> known) {
        if (value != null && known.contains(value)) {
            return null;
        }
        return field + (value == null ? " is missing" : " '" + value + "' is not one this version knows")
                + " (one of " + String.join(", ", known) + ")";
    }

    private static <E> List<String> labels(E[] values, Function<E, String> label) {
        return Arrays.stream(values).map(label).toList();
    }

    private static boolean validPca(Pca pca, int d) {
        if (pca.mean() == null || pca.mean().length != d || pca.components() == null || pca.components().length < 1
                || pca.components().length > d || pca.explainedVariance() == null
                || pca.explainedVariance().length != pca.components().length) {
            return false;
        }
        if (!allFinite(pca.mean()) || !allFinite(pca.explainedVariance()) || pca.explainedVarianceRatio() != null
                && (pca.explainedVarianceRatio().length != pca.components().length || !allFinite(pca.explainedVarianceRatio()))) {
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

    private static boolean allFinite(double[] values) {
        return Arrays.stream(values).allMatch(Double::isFinite);
    }

    private static String densityProblem(SegmentModel m) {
        SegmentModel.Density density = m.density();
        if (!(density.eps() > 0) || Double.isInfinite(density.eps()) || density.minSamples() < 1) {
            return "its DBSCAN eps " + density.eps() + " or min samples " + density.minSamples() + " is out of range";
        }
        if (m.pca() != null) {
            return "a DBSCAN model cannot have a PCA step";
        }
        String index = choice("density.index", density.index(), labels(SpatialIndex.values(), SpatialIndex::label));
        if (index != null) {
            return index;
        }
        if (density.noise() < 0) {
            return "density.noise is " + density.noise() + ", a negative number of customers";
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
        String choices = choice("preparation.impute", p.impute(), labels(Imputation.values(), Imputation::label));
        if (choices == null) {
            choices = choice("preparation.dedup", p.dedup(), labels(Deduplication.values(), Deduplication::label));
        }
        if (choices != null) {
            return choices;
        }
        Imputation imputation = p.imputation();
        if (imputation.fills() != (p.fill() != null) || p.fill() != null && p.fill().length != m.dimensions()) {
            return "its fill values do not match " + imputation.label() + " imputation of " + m.dimensions() + " features";
        }
        if (p.fill() != null && Arrays.stream(p.fill()).anyMatch(v -> !Double.isFinite(v))) {
            return "a fill value is not finite";
        }
        Set<String> logged = new HashSet<>();
        for (String name : p.log1p()) {
            if (!m.features().contains(name)) {
                return "log1p names '" + name + "', which is not one of its features";
            }
            if (!logged.add(name)) {
                return "preparation.log1p names '" + name + "' twice";
            }
        }
        if (m.segmentLabels() == null || m.segmentLabels().size() != m.k()) {
            return "it should hold k=" + m.k() + " segment labels";
        }
        for (int j = 0; j < m.k(); j++) {
            String label = m.segmentLabels().get(j);
            if (label == null || label.isBlank()) {
                return "segmentLabels[" + j + "] is " + (label == null ? "null" : "empty") + ", but every segment needs a name";
            }
        }
        return null;
    }

    private static String hierarchyProblem(SegmentModel m) {
        SegmentModel.Hierarchy hierarchy = m.hierarchy();
        String linkage = choice("hierarchy.linkage", hierarchy.linkage(), labels(Linkage.values(), Linkage::label));
        if (linkage != null) {
            return linkage;
        }
        if (hierarchy.microClusters() < 0 || hierarchy.leaves() < m.k()) {
            return "hierarchy.leaves " + hierarchy.leaves() + " and microClusters " + hierarchy.microClusters()
                    + " cannot give k=" + m.k() + " segments";
        }
        return null;
    }
}
