package dev.segmenta.spark;

import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.BackendUnavailableException;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input a fit cannot use is rejected with one message that names the column, the row and the fix. */
class BadInputTest {

    private static final StructType NUMERIC = new StructType().add("id", DataTypes.LongType)
            .add("spend", DataTypes.DoubleType).add("visits", DataTypes.IntegerType).add("name", DataTypes.StringType)
            .add("w", DataTypes.DoubleType);

    /** 40 rows, the 26th with the given values. */
    private static Dataset<Row> numeric(Object spend, Object visits, Object weight) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean bad = i == 25;
            rows.add(RowFactory.create((long) i, bad ? spend : (double) i, bad ? visits : i % 7, "c" + i,
                    bad ? weight : 1.0));
        }
        return TestSpark.spark().createDataFrame(rows, NUMERIC);
    }

    private static SegmentaKMeans columns(String... names) {
        return new SegmentaKMeans().setK(3).setInputCols(names);
    }

    private static String fitFails(SegmentaKMeans estimator, Dataset<Row> data) {
        return assertThrows(BadInputException.class, () -> estimator.fit(data)).getMessage();
    }

    @Test
    void nullFeatureNamesTheColumnAndRow() {
        String message = fitFails(columns("spend", "visits"), numeric(1.0, null, 1.0));
        assertTrue(message.startsWith("column 'visits' is null in row "), message);
        assertTrue(message.endsWith("; remove the row or fill in the value (e.g. na.drop() or Imputer)"), message);
    }

    @Test
    void nanAndInfinityAreRejected() {
        assertTrue(fitFails(columns("spend", "visits"), numeric(Double.NaN, 1, 1.0))
                .startsWith("column 'spend' is NaN in row "));
        assertTrue(fitFails(columns("spend"), numeric(Double.NEGATIVE_INFINITY, 1, 1.0))
                .startsWith("column 'spend' is infinite in row "));
        assertTrue(fitFails(columns("spend"), numeric(1e300, 1, 1.0))
                .startsWith("column 'spend' is 1.0E300, beyond float range in row "));
    }

    @Test
    void nanInsideAVectorNamesItsIndex() {
        StructType schema = new StructType().add("features", new VectorUDT());
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1, 2)), RowFactory.create(Vectors.dense(3, Double.NaN)),
                RowFactory.create(Vectors.dense(5, 6)));
        Dataset<Row> data = TestSpark.spark().createDataFrame(rows, schema).coalesce(1);
        assertEquals("column 'features[1]' is NaN in row 1 of partition 0; remove the row or fill in the value",
                fitFails(new SegmentaKMeans().setK(2), data));
    }

    @Test
    void vectorsOfDifferentSizesAreRejected() {
        StructType schema = new StructType().add("features", new VectorUDT());
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1, 2)), RowFactory.create(Vectors.dense(3, 4, 5)));
        Dataset<Row> data = TestSpark.spark().createDataFrame(rows, schema).coalesce(1);
        assertEquals("column 'features' has 3 values but the first row has 2 in row 1 of partition 0; give every "
                + "row the same number of features", fitFails(new SegmentaKMeans().setK(2), data));
    }

    @Test
    void negativeWeightIsRejected() {
        String message = fitFails(columns("spend").setWeightCol("w"), numeric(1.0, 1, -2.0));
        assertTrue(message.startsWith("column 'w' has the weight -2.0 in row "), message);
        assertTrue(message.endsWith("; weights must be finite and >= 0"), message);
    }

    @Test
    void wrongColumnTypesAreRejectedBeforeAnyJob() {
        Dataset<Row> data = numeric(1.0, 1, 1.0);
        IllegalArgumentException string = assertThrows(IllegalArgumentException.class,
                () -> columns("spend", "name").fit(data));
        assertEquals("column 'name' has type string; inputCols must be numeric columns", string.getMessage());
        IllegalArgumentException features = assertThrows(IllegalArgumentException.class,
                () -> new SegmentaKMeans().setFeaturesCol("name").fit(data));
        assertEquals("column 'name' has type string; featuresCol must be a vector, array<float> or array<double> "
                + "column, or set inputCols to numeric columns", features.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> columns("loyalty").fit(data));
        assertEquals("no column named 'loyalty'; available columns: id, spend, visits, name, w", missing.getMessage());
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> columns("spend").setWeightCol("name").fit(data));
        assertEquals("column 'name' has type string; weightCol must be a numeric column", weight.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> columns("spend").setPredictionCol("visits").fit(data));
        assertEquals("output column 'visits' already exists; set predictionCol to another name", taken.getMessage());
    }

    @Test
    void moreSegmentsThanRowsIsRejected() {
        assertEquals("only 40 customers (with positive weight) but k=41 segments were asked for; lower k to at most 40",
                fitFails(columns("spend").setK(41), numeric(1.0, 1, 1.0)));
        assertEquals("only 39 customers (with positive weight) but k=40 segments were asked for; lower k to at most 39",
                fitFails(columns("spend").setK(40).setWeightCol("w"), numeric(1.0, 1, 0.0)));
        Dataset<Row> empty = TestSpark.spark().createDataFrame(List.of(), NUMERIC);
        assertEquals("no customers to cluster: the input has no rows", fitFails(columns("spend"), empty));
        assertEquals("no customers to cluster: the input has no rows", fitFails(new SegmentaKMeans(),
                TestSpark.spark().createDataFrame(List.of(), new StructType().add("features", new VectorUDT()))));
    }

    @Test
    void fewerDistinctRowsThanSegmentsIsRejected() {
        StructType schema = new StructType().add("x", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(RowFactory.create((double) (i % 2)));
        }
        Dataset<Row> data = TestSpark.spark().createDataFrame(rows, schema);
        String message = fitFails(columns("x"), data);
        assertTrue(message.startsWith("only 2 distinct customers (with positive weight) but k=3"), message);
    }

    @Test
    void badParamsAndBackendsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SegmentaKMeans().setK(0));
        assertThrows(IllegalArgumentException.class, () -> new SegmentaKMeans().setTol(-1));
        assertThrows(IllegalArgumentException.class, () -> new SegmentaKMeans().setInitMode("k-means++"));
        BackendUnavailableException backend = assertThrows(BackendUnavailableException.class,
                () -> columns("spend").setBackend("gpu").fit(numeric(1.0, 1, 1.0)));
        assertTrue(backend.getMessage().contains("no such backend"), backend.getMessage());
        IllegalArgumentException centres = assertThrows(IllegalArgumentException.class,
                () -> columns("spend").setInitialCenters(new double[][] {{1}, {2}}).fit(numeric(1.0, 1, 1.0)));
        assertEquals("initialCenters has 2 centres but k=3; give one centre per segment", centres.getMessage());
    }
}
