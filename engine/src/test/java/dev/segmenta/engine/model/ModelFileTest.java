package dev.segmenta.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.PreparationCounts;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    static SegmentModel model() {
        return new SegmentModel(SegmentModel.FORMAT_VERSION, "test", "kmeans", "k-means++", 2,
                List.of("spend", "visits"),
                new Scaling("zscore", new double[] {100, 5}, new double[] {20, 2}),
                new float[][] {{-1.5f, 0.25f}, {1.5f, -0.25f}},
                42, 3, 300, 1e-4, 12.5, 7, true, "simd", 10, new long[] {4, 6}, "c.parquet",
                "2026-11-24T00:00:00Z",
                new Preparation("median", true, new double[] {95, 4.5}, "last", List.of("spend"),
                        new PreparationCounts(12, 1, 1, 3)),
                List.of("high spend", "low spend"), null, null, null);
    }

    @Test
    void roundTripKeepsEveryField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        SegmentModel written = model();
        ModelFile.write(written, file);
        SegmentModel read = ModelFile.read(file);
        assertEquals(written.features(), read.features());
        assertArrayEquals(written.centroids()[0], read.centroids()[0]);
        assertArrayEquals(written.centroids()[1], read.centroids()[1]);
        assertArrayEquals(written.scaling().offset(), read.scaling().offset());
        assertArrayEquals(written.scaling().scale(), read.scaling().scale());
        assertArrayEquals(written.segmentSizes(), read.segmentSizes());
        assertEquals(written.seed(), read.seed());
        assertEquals(written.backend(), read.backend());
        assertEquals(written.inertia(), read.inertia());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
        }
    }

    /** Found by fuzzing: bytes Jackson takes for UTF-32 that are no UTF-32 are a bad model, not an I/O error. */
    @Test
    void bytesThatAreNoTextAreBadInput(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("m.json"), new byte[] {0, 0, 0, '{', 't', '`', 'm', '.', 0, 0, 0, '}'});
        BadInputException e = assertThrows(BadInputException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a Segmenta model file"), e.getMessage());
    }

    @Test
    void roundTripKeepsThePreparationAndLabels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        ModelFile.write(model(), file);
        SegmentModel read = ModelFile.read(file);
        assertEquals(SegmentModel.FORMAT_VERSION, read.formatVersion());
        assertEquals("median", read.preparation().impute());
        assertTrue(read.preparation().nanIsMissing());
        assertArrayEquals(new double[] {95, 4.5}, read.preparation().fill());
        assertEquals("last", read.preparation().dedup());
        assertEquals(List.of("spend"), read.preparation().log1p());
        assertEquals(new PreparationCounts(12, 1, 1, 3), read.preparation().training());
        assertEquals(List.of("high spend", "low spend"), read.segmentLabels());
    }

    @Test
    void formatOneModelsStillLoadWithoutPreparation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v1.json");
        ModelFile.write(model(), file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.put("formatVersion", 1);
        root.remove("preparation");
        root.remove("segmentLabels");
        json.writeValue(file.toFile(), root);
        SegmentModel read = ModelFile.read(file);
        assertEquals(SegmentModel.FORMAT_VERSION, read.formatVersion());
        assertTrue(read.preparation().isIdentity());
        assertEquals(List.of("segment 0", "segment 1"), read.segmentLabels());
        assertArrayEquals(model().centroids()[1], read.centroids()[1]);
    }

    @Test
    void formatTwoModelsKeepTheirPreparationAndLabels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("v2.json");
        ModelFile.write(model(), file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.put("formatVersion", 2);
        json.writeValue(file.toFile(), root);
        SegmentModel read = ModelFile.read(file);
        assertEquals(SegmentModel.FORMAT_VERSION, read.formatVersion());
        assertEquals("median", read.preparation().impute());
        assertArrayEquals(new double[] {95, 4.5}, read.preparation().fill());
        assertEquals(new PreparationCounts(12, 1, 1, 3), read.preparation().training());
        assertEquals(List.of("high spend", "low spend"), read.segmentLabels());
    }

    @Test
    void newerOrInconsistentModelsAreBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        ObjectMapper json = new ObjectMapper();
        ModelFile.write(model(), file);
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        root.put("formatVersion", 4);
        json.writeValue(file.toFile(), root);
        String newer = assertThrows(BadInputException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(newer.contains("format version 4 is not supported (this Segmenta reads 1 to 3; it was written by a newer"),
                newer);
        root.put("formatVersion", 2);
        ((ArrayNode) root.get("preparation").get("fill")).remove(1);
        json.writeValue(file.toFile(), root);
        String fill = assertThrows(BadInputException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(fill.contains("its fill values do not match median imputation of 2 features"), fill);
        ModelFile.write(model(), file);
        root = (ObjectNode) json.readTree(file.toFile());
        ((ArrayNode) root.get("segmentLabels")).remove(0);
        json.writeValue(file.toFile(), root);
        String labels = assertThrows(BadInputException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(labels.contains("it should hold k=2 segment labels"), labels);
    }

    @Test
    void missingModelIsBadInput(@TempDir Path dir) {
        BadInputException e = assertThrows(BadInputException.class, () -> ModelFile.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("no such model file"), e.getMessage());
    }

    @Test
    void truncatedModelIsBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        ModelFile.write(model(), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void centroidOfWrongWidthIsBadInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        ModelFile.write(model(), file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        ((ArrayNode) root.get("centroids").get(0)).remove(1);
        json.writeValue(file.toFile(), root);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelFile.read(file));
        assertTrue(e.getMessage().contains("centroid 0 does not have 2 values"), e.getMessage());
    }

    /** The model of {@link #model()} with one field (a dotted path) replaced by a JSON value, as a hand edit would. */
    private static Path edited(Path dir, String path, String value, String... morePathsAndValues) throws Exception {
        Path file = dir.resolve("edited.json");
        ModelFile.write(model(), file);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        List<String> edits = new java.util.ArrayList<>(List.of(path, value));
        edits.addAll(List.of(morePathsAndValues));
        for (int e = 0; e < edits.size(); e += 2) {
            String[] steps = edits.get(e).split("\\.");
            ObjectNode parent = root;
            for (int s = 0; s < steps.length - 1; s++) {
                parent = (ObjectNode) parent.get(steps[s]);
            }
            parent.set(steps[steps.length - 1], json.readTree(edits.get(e + 1)));
        }
        json.writeValue(file.toFile(), root);
        return file;
    }

    /**
     * Every choice and width a hand edit can break is refused at load, naming the field, instead of
     * loading (an unknown algorithm or scaling) or failing later inside a command (a null label).
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiterString = " | ", value = {
        "algorithm | '\"spectral\"' | algorithm 'spectral' is not one this version knows (one of kmeans, minibatch-kmeans, dbscan, hierarchical)",
        "algorithm | null | algorithm is missing (one of kmeans",
        "algorithm | '\"dbscan\"' | algorithm is dbscan but it has no density section",
        "algorithm | '\"hierarchical\"' | algorithm is hierarchical but it has no hierarchy section",
        "initialization | '\"random\"' | initialization 'random' is not one this version knows (one of k-means++, k-means||)",
        "initialization | null | initialization is missing",
        "maxIterations | 0 | maxIterations 0 and restarts 3 should both be at least 1",
        "tolerance | -1 | tolerance -1.0 is not a finite number >= 0",
        "scaling.method | '\"log\"' | scaling.method 'log' is not one this version knows (one of zscore, minmax, none)",
        "scaling.method | '\"none\"' | scaling.method is none, but feature 'spend' has offset 100.0 and scale 20.0",
        "preparation.impute | '\"mode\"' | preparation.impute 'mode' is not one this version knows (one of none, mean, median, constant, drop)",
        "preparation.dedup | '\"newest\"' | preparation.dedup 'newest' is not one this version knows (one of none, first, last)",
        "preparation.log1p | '[\"spend\", \"spend\"]' | preparation.log1p names 'spend' twice",
        "segmentLabels | '[\"high spend\", null]' | segmentLabels[1] is null, but every segment needs a name",
        "segmentLabels | '[\"high spend\", \" \"]' | segmentLabels[1] is empty, but every segment needs a name",
        "segmentLabels | '[\"high spend\", 7]' | segmentLabels[1] is 7, not text",
        "segmentLabels | '[\"high spend\", {}]' | segmentLabels[1] is an object, not text",
        "segmentSizes | '[4]' | segmentSizes should hold k=2 sizes",
        "segmentSizes | '[4, -6]' | segmentSizes[1] is -6, a negative number of customers",
        "k | 2.5 | k is 2.5, not a whole number",
        "k | '\"two\"' | k is 'two', not a whole number",
        "scaling.scale | '[20.0]' | its scaling does not match its 2 features",
        "scaling.offset | '[100.0, 5.0, 1.0]' | its scaling does not match its 2 features",
        "preparation.fill | '[95.0]' | its fill values do not match median imputation of 2 features",
        "centroids | '[[-1.5, 0.25], [1.5]]' | centroid 1 does not have 2 values",
        "features | '[\"spend\", \"spend\"]' | a feature is listed twice",
    })
    void handEditsAreRefusedNamingTheField(String field, String value, String problem, @TempDir Path dir) throws Exception {
        Path file = edited(dir, field, value);
        String message = assertThrows(BadInputException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": invalid model: " + problem), message);
        assertTrue(message.endsWith("; refit with 'segmenta fit --model'"), message);
    }

    @Test
    void aDensityOrHierarchySectionMustMatchTheAlgorithm(@TempDir Path dir) throws Exception {
        Path file = edited(dir, "hierarchy", "{\"linkage\": \"ward\", \"leaves\": 10, \"microClusters\": 0, \"cutHeight\": 1.0}");
        String message = assertThrows(BadInputException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(message.contains("invalid model: it has a hierarchy section, which only hierarchical models have, "
                + "but algorithm is 'kmeans'"), message);
    }

    @Test
    void unknownLinkageOrIndexIsRefused(@TempDir Path dir) throws Exception {
        Path hierarchy = edited(dir, "algorithm", "\"hierarchical\"", "hierarchy",
                "{\"linkage\": \"centroid\", \"leaves\": 10, \"microClusters\": 0, \"cutHeight\": 1.0}",
                "initialization", "null");
        String message = assertThrows(BadInputException.class, () -> ModelFile.read(hierarchy)).getMessage();
        assertTrue(message.contains("invalid model: hierarchy.linkage 'centroid' is not one this version knows "
                + "(one of ward, complete, average, single)"), message);
        Path density = edited(dir, "algorithm", "\"dbscan\"", "density", "{\"eps\": 0.5, \"minSamples\": 2, "
                + "\"index\": \"octree\", \"noise\": 0, \"corePoints\": [[0, 0]], \"coreSegments\": [0]}",
                "initialization", "null");
        message = assertThrows(BadInputException.class, () -> ModelFile.read(density)).getMessage();
        assertTrue(message.contains("invalid model: density.index 'octree' is not one this version knows "
                + "(one of auto, grid, kdtree)"), message);
    }

    @Test
    void textAfterTheModelIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.json");
        ModelFile.write(model(), file);
        String json = Files.readString(file);
        for (String after : List.of("{}", "x", "]", json)) {
            Files.writeString(file, json + "\n" + after + "\n");
            String message = assertThrows(BadInputException.class, () -> ModelFile.read(file)).getMessage();
            assertTrue(message.startsWith(file + ": invalid model: text follows the model's JSON value (line "), message);
        }
        Files.writeString(file, json + "\n\n  \n");
        assertEquals(model().features(), ModelFile.read(file).features(), "white space after the model is no text");
    }
}
