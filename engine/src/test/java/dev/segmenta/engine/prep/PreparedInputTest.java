package dev.segmenta.engine.prep;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden values of every preparation step on a hand-made file, and its errors. */
class PreparedInputTest {

    /** spend present: 10, 30, 100, 20 (mean 40, median 25); visits present: 1, 2, 4, 9 (mean 4, median 3). */
    private static final String CUSTOMERS = "customer_id,spend,visits\n1,10,1\n2,,2\n3,30,\n4,100,4\n2,20,9\n";

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("c" + text.hashCode() + ".csv"), text);
    }

    private static PreparationSpec spec(Imputation imputation, Deduplication dedup, String... log1p) {
        return new PreparationSpec(imputation, imputation == Imputation.CONSTANT ? -1 : 0, false, dedup, List.of(log1p));
    }

    /** Rows as {id, features...}, and the block sizes. */
    private record Rows(List<String> ids, List<float[]> rows, List<Integer> blocks, PreparationCounts counts,
                        Preparation preparation) { }

    private static Rows read(PreparedInput input) {
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<Integer> blocks = new ArrayList<>();
        try (FeatureSource source = input.open()) {
            long ordinal = 0;
            for (FeatureBatch b = source.next(); b != null; b = source.next()) {
                assertEquals(ordinal, b.firstRow(), "prepared blocks are numbered by rows handed out");
                ordinal += b.rows();
                blocks.add(b.rows());
                for (int i = 0; i < b.rows(); i++) {
                    float[] row = new float[b.features() + 1];
                    String id = b.ids().text(i);
                    ids.add(id);
                    row[0] = id.startsWith("c-") ? Float.NaN : Float.parseFloat(id);
                    for (int f = 0; f < b.features(); f++) {
                        row[f + 1] = b.value(i, f);
                    }
                    rows.add(row);
                }
            }
        }
        return new Rows(ids, rows, blocks, input.counts(), input.preparation());
    }

    private Rows fit(String text, PreparationSpec spec, int blockRows) throws IOException {
        return read(PreparedInput.fit(csv(text), ReadOptions.defaults().withBlockRows(blockRows), null, spec, rows -> { }));
    }

    private static void assertRows(Rows actual, float[]... expected) {
        assertEquals(expected.length, actual.rows().size(), "rows");
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.rows().get(i), 1e-6f, "row " + i);
        }
    }

    @Test
    void meanImputationFillsWithTheMeanOfPresentValues() throws IOException {
        Rows r = fit(CUSTOMERS, spec(Imputation.MEAN, Deduplication.NONE), 16);
        assertArrayEquals(new double[] {40, 4}, r.preparation().fill());
        assertRows(r, new float[] {1, 10, 1}, new float[] {2, 40, 2}, new float[] {3, 30, 4}, new float[] {4, 100, 4},
                new float[] {2, 20, 9});
        assertEquals(new PreparationCounts(5, 0, 0, 2), r.counts());
    }

    @Test
    void medianImputationFillsWithTheExactMedian() throws IOException {
        Rows r = fit(CUSTOMERS, spec(Imputation.MEDIAN, Deduplication.NONE), 2);
        assertArrayEquals(new double[] {25, 3}, r.preparation().fill());
        assertEquals(25f, r.rows().get(1)[1]);
        assertEquals(3f, r.rows().get(2)[2]);
    }

    @Test
    void constantImputationAndDroppingCountWhatTheyDid() throws IOException {
        Rows constant = fit(CUSTOMERS, spec(Imputation.CONSTANT, Deduplication.NONE), 16);
        assertArrayEquals(new double[] {-1, -1}, constant.preparation().fill());
        assertEquals(-1f, constant.rows().get(1)[1]);
        Rows dropped = fit(CUSTOMERS, spec(Imputation.DROP, Deduplication.NONE), 16);
        assertRows(dropped, new float[] {1, 10, 1}, new float[] {4, 100, 4}, new float[] {2, 20, 9});
        assertEquals(new PreparationCounts(5, 2, 0, 0), dropped.counts());
        assertNull(dropped.preparation().fill());
    }

    @Test
    void dedupKeepLastKeepsEachCustomersLastRowInFileOrder() throws IOException {
        Rows r = fit(CUSTOMERS, spec(Imputation.MEAN, Deduplication.LAST), 2);
        assertRows(r, new float[] {1, 10, 1}, new float[] {3, 30, 4}, new float[] {4, 100, 4}, new float[] {2, 20, 9});
        assertEquals(List.of(2, 2), r.blocks(), "re-cut into full blocks");
        assertEquals(new PreparationCounts(5, 0, 1, 1), r.counts());
    }

    @Test
    void dedupKeepFirstKeepsEachCustomersFirstRow() throws IOException {
        Rows r = fit(CUSTOMERS, spec(Imputation.MEAN, Deduplication.FIRST), 3);
        assertRows(r, new float[] {1, 10, 1}, new float[] {2, 40, 2}, new float[] {3, 30, 4}, new float[] {4, 100, 4});
        assertEquals(List.of(3, 1), r.blocks());
        assertEquals(new PreparationCounts(5, 0, 1, 2), r.counts());
    }

    @Test
    void droppedRowsTakeNoPartInDedupSoTheKeptRowIsComplete() throws IOException {
        Rows r = fit(CUSTOMERS, spec(Imputation.DROP, Deduplication.FIRST), 16);
        assertRows(r, new float[] {1, 10, 1}, new float[] {4, 100, 4}, new float[] {2, 20, 9});
        assertEquals(new PreparationCounts(5, 2, 0, 0), r.counts());
    }

    @Test
    void dedupOfStringIdsAcrossBlocks() throws IOException {
        StringBuilder text = new StringBuilder("customer_id,x\n");
        for (int i = 0; i < 1000; i++) {
            text.append("c-").append(i % 300).append(',').append(i).append('\n');
        }
        Rows r = read(PreparedInput.fit(csv(text.toString()), ReadOptions.defaults().withBlockRows(64), null,
                spec(Imputation.NONE, Deduplication.LAST), rows -> { }));
        assertEquals(300, r.rows().size());
        assertEquals(700, r.counts().duplicates());
        // the last rows of c-0..c-299 are rows 700..999, in file order
        for (int i = 0; i < 300; i++) {
            assertEquals(700 + i, r.rows().get(i)[1]);
            assertEquals("c-" + ((700 + i) % 300), r.ids().get(i));
        }
    }

    @Test
    void log1pAfterImputation() throws IOException {
        Rows r = fit(CUSTOMERS, spec(Imputation.MEDIAN, Deduplication.NONE, "spend"), 16);
        assertEquals((float) Math.log1p(25), r.rows().get(1)[1]);
        assertEquals((float) Math.log1p(100), r.rows().get(3)[1]);
        assertEquals(3f, r.rows().get(2)[2], "visits is not log1p'd");
    }

    @Test
    void applyingAFittedPreparationUsesItsFillValuesAndDecidesDedupAnew() throws IOException {
        Preparation fitted = fit(CUSTOMERS, spec(Imputation.MEAN, Deduplication.LAST, "visits"), 16).preparation();
        Path other = csv("customer_id,spend,visits\n9,,0\n9,1,\n8,2,3\n");
        Rows r = read(PreparedInput.apply(other, ReadOptions.defaults(), fitted, rows -> { }));
        assertRows(r, new float[] {9, 1, (float) Math.log1p(4)}, new float[] {8, 2, (float) Math.log1p(3)});
        assertEquals(new PreparationCounts(3, 0, 1, 1), r.counts());
    }

    @Test
    void aWeightColumnIsCarriedAlongUnpreparedAndMustBePresent() throws IOException {
        Path file = csv("customer_id,spend,w\n1,10,2\n2,,3\n1,30,4\n");
        ReadOptions options = ReadOptions.defaults().withFeatures(List.of("spend", "w"));
        Rows r = read(PreparedInput.fit(file, options, "w", spec(Imputation.MEAN, Deduplication.LAST, "spend"), rows -> { }));
        assertArrayEquals(new double[] {20}, r.preparation().fill(), "the weight is no feature: no fill value");
        assertRows(r, new float[] {2, (float) Math.log1p(20), 3}, new float[] {1, (float) Math.log1p(30), 4});
        Path gap = csv("customer_id,spend,w\n1,10,2\n2,5,\n");
        String message = assertThrows(BadInputException.class, () -> read(PreparedInput.fit(gap, options, "w",
                spec(Imputation.MEAN, Deduplication.NONE), rows -> { }))).getMessage();
        assertTrue(message.contains("row 2, column 'w' is empty; weights cannot be imputed"), message);
        Path negative = csv("customer_id,spend,w\n1,10,2\n2,5,-1\n");
        message = assertThrows(BadInputException.class, () -> read(PreparedInput.fit(negative, options, "w",
                spec(Imputation.MEAN, Deduplication.NONE), rows -> { }))).getMessage();
        assertTrue(message.contains("row 2, column 'w': negative weight -1.0"), message);
    }

    @Test
    void nanIsAnErrorUnlessTreatedAsMissing() throws IOException {
        Path file = dir.resolve("nan.arrow");
        try (var out = dev.segmenta.io.TableWriter.open(file, List.of(new dev.segmenta.io.Column("x",
                dev.segmenta.io.ColumnType.FLOAT32)))) {
            out.write(3, (Object) new float[] {1, Float.NaN, 3});
            out.commit();
        }
        PreparationSpec strict = spec(Imputation.MEAN, Deduplication.NONE);
        BadInputException e = assertThrows(BadInputException.class, () -> read(PreparedInput.fit(file,
                ReadOptions.defaults(), null, strict, rows -> { })));
        assertTrue(e.getMessage().contains("row 2, column 'x' is NaN") && e.getMessage().contains("--nan-as-missing"),
                e.getMessage());
        PreparationSpec lenient = new PreparationSpec(Imputation.MEAN, 0, true, Deduplication.NONE, List.of());
        Rows r = read(PreparedInput.fit(file, ReadOptions.defaults(), null, lenient, rows -> { }));
        assertEquals(2f, r.rows().get(1)[1]);
    }

    @Test
    void errorsNameTheFileTheColumnAndTheFix() throws IOException {
        Path file = csv(CUSTOMERS);
        String noIds = assertThrows(BadInputException.class, () -> PreparedInput.fit(file,
                ReadOptions.defaults().withIdColumn("client"), null, spec(Imputation.MEAN, Deduplication.LAST), r -> { }))
                .getMessage();
        assertTrue(noIds.contains("no id column 'client' to de-duplicate on"), noIds);
        String notFeature = assertThrows(BadInputException.class, () -> PreparedInput.fit(file, ReadOptions.defaults(),
                null, spec(Imputation.MEAN, Deduplication.NONE, "age"), r -> { })).getMessage();
        assertTrue(notFeature.contains("--log1p names 'age', which is not a feature; features: spend, visits"), notFeature);
        Path negative = csv("customer_id,spend\n1,5\n2,-3\n");
        String log1p = assertThrows(BadInputException.class, () -> read(PreparedInput.fit(negative, ReadOptions.defaults(),
                null, spec(Imputation.NONE, Deduplication.NONE, "spend"), r -> { }))).getMessage();
        assertTrue(log1p.contains("row 2, column 'spend' is -3.0; log1p needs values above -1"), log1p);
        Path empty = csv("customer_id,spend,visits\n1,,2\n2,,3\n");
        String none = assertThrows(BadInputException.class, () -> PreparedInput.fit(empty, ReadOptions.defaults(), null,
                spec(Imputation.MEDIAN, Deduplication.NONE), r -> { })).getMessage();
        assertTrue(none.contains("column 'spend' has no values to take the median of"), none);
        String unimputed = assertThrows(BadInputException.class, () -> read(PreparedInput.fit(file, ReadOptions.defaults(),
                null, PreparationSpec.none(), r -> { }))).getMessage();
        assertTrue(unimputed.contains("row 2, column 'spend' is empty (null)") && unimputed.contains("--impute"), unimputed);
    }
}
