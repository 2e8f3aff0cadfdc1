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
}
