package dev.segmenta.engine.model;

import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentLabelsTest {

    private static final List<String> FEATURES = List.of("spend", "visits", "recency");
    /** Means 100, 5, 30; standard deviations 20, 2, 10. */
    private static final FeatureStats STATS = new FeatureStats(1000, new double[] {100, 5, 30},
            new double[] {400, 4, 100}, new double[] {0, 0, 0}, new double[] {500, 50, 365});
    /** The centroids are stored z-scored: (x - mean) / sd. */
    private static final Scaling ZSCORE = new Scaling(Scaling.ZSCORE, new double[] {100, 5, 30}, new double[] {20, 2, 10});

    private static float[] z(double spend, double visits, double recency) {
        return new float[] {(float) ((spend - 100) / 20), (float) ((visits - 5) / 2), (float) ((recency - 30) / 10)};
    }

    @Test
    void namedAfterTheTwoFeaturesFurthestFromTheMean() {
        List<String> labels = SegmentLabels.generate(FEATURES, new float[][] {
                z(150, 5.5, 10),   // z = 2.5, 0.25, -2
                z(105, 5, 31),     // all within half a standard deviation
                z(60, 9, 32)}, ZSCORE, STATS);  // z = -2, 2, 0.2: the tie goes to the first feature
        assertEquals(List.of("high spend, low recency", "typical", "low spend, high visits"), labels);
    }

    @Test
    void aSharedNameTakesAThirdFeature() {
        List<String> labels = SegmentLabels.generate(FEATURES, new float[][] {
                z(150, 5.5, 10),   // z = 2.5, 0.25, -2
                z(160, 8, 12)}, ZSCORE, STATS);  // z = 3, 1.5, -1.8
        assertEquals(List.of("high spend, low recency", "high spend, low recency, high visits"), labels);
    }

    @Test
    void namesStillSharedGetTheSegmentNumber() {
        List<String> labels = SegmentLabels.generate(FEATURES, new float[][] {z(100, 5, 30), z(101, 5, 30)}, ZSCORE, STATS);
        assertEquals(List.of("typical (segment 0)", "typical (segment 1)"), labels);
    }

    @Test
    void aLabelsFileOverridesTheNamedSegments(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("names.json"), "{\"2\": \" Champions \", \"0\": \"At risk\"}");
        assertEquals(List.of("At risk", "segment 1", "Champions"), SegmentLabels.override(SegmentLabels.numbered(3), file));
        Path outside = Files.writeString(dir.resolve("bad.json"), "{\"3\": \"Ghosts\"}");
        assertTrue(assertThrows(BadInputException.class, () -> SegmentLabels.override(SegmentLabels.numbered(3), outside))
                .getMessage().contains("'3' is not a segment of this model; segments are 0 to 2"));
        Path broken = Files.writeString(dir.resolve("broken.json"), "[\"Champions\"]");
        assertTrue(assertThrows(BadInputException.class, () -> SegmentLabels.override(SegmentLabels.numbered(3), broken))
                .getMessage().contains("not a labels file"));
        Path blank = Files.writeString(dir.resolve("blank.json"), "{\"1\": \"  \"}");
        assertTrue(assertThrows(BadInputException.class, () -> SegmentLabels.override(SegmentLabels.numbered(3), blank))
                .getMessage().contains("segment 1 has an empty name"));
        assertTrue(assertThrows(BadInputException.class, () -> SegmentLabels.override(SegmentLabels.numbered(3),
                dir.resolve("none.json"))).getMessage().contains("no such labels file"));
    }
}
