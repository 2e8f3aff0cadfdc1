package dev.segmenta.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Save and load, alone and inside a Pipeline, the way Spark's own stages are used. */
class PipelineTest {

    private static Dataset<Row> data;

    @BeforeAll
    static void data() {
        data = TestSpark.blobs(TestSpark.corners(4, 3, 5f), 500, 3, 3).cache();
    }

    @Test
    void pipelineSavedAndLoadedAssignsTheSameSegments(@TempDir Path dir) throws IOException {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
                new VectorAssembler().setInputCols(TestSpark.featureColumns(3)).setOutputCol("raw"),
                new StandardScaler().setInputCol("raw").setOutputCol("scaled").setWithMean(true),
                new SegmentaKMeans().setK(4).setSeed(5).setFeaturesCol("scaled").setPredictionCol("segment")});
        PipelineModel fitted = pipeline.fit(data);
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);

        SegmentaKMeansModel original = (SegmentaKMeansModel) fitted.stages()[2];
        SegmentaKMeansModel restored = (SegmentaKMeansModel) loaded.stages()[2];
        assertEquals(original.uid(), restored.uid());
        assertEquals("scaled", restored.getFeaturesCol());
        assertEquals(4, restored.getK());
        assertEquals(original.summary().trainingCost(), restored.summary().trainingCost());
        assertEquals(original.summary().numIter(), restored.summary().numIter());
        assertArrayEquals(original.summary().clusterWeights(), restored.summary().clusterWeights());
        for (int j = 0; j < 4; j++) {
            assertArrayEquals(original.clusterCenters()[j].toArray(), restored.clusterCenters()[j].toArray());
        }
        List<Row> before = fitted.transform(data).orderBy("id").select("segment", "distance").collectAsList();
        List<Row> after = loaded.transform(data).orderBy("id").select("segment", "distance").collectAsList();
        assertEquals(before, after);
        assertEquals(4, before.stream().map(r -> r.getInt(0)).distinct().count());
    }

    @Test
    void modelAndEstimatorSaveAndLoadAlone(@TempDir Path dir) throws IOException {
        SegmentaKMeans estimator = new SegmentaKMeans().setK(4).setMaxIter(7).setTol(0.5).setSeed(9)
                .setInitMode("random").setInputCols(TestSpark.featureColumns(3)).setDistanceCol("");
        estimator.write().save(dir.resolve("estimator").toString());
        SegmentaKMeans again = SegmentaKMeans.load(dir.resolve("estimator").toString());
        assertEquals(estimator.uid(), again.uid());
        assertEquals(7, again.getMaxIter());
        assertEquals(0.5, again.getTol());
        assertEquals("random", again.getInitMode());
        assertArrayEquals(TestSpark.featureColumns(3), again.getInputCols());

        SegmentaKMeansModel model = again.fit(data);
        String path = dir.resolve("model").toString();
        model.write().save(path);
        model.write().overwrite().save(path);
        SegmentaKMeansModel loaded = SegmentaKMeansModel.load(path);
        assertEquals(model.transform(data).orderBy("id").collectAsList(),
                loaded.transform(data).orderBy("id").collectAsList());
        assertEquals(List.of("id", "features", "f0", "f1", "f2", "truth", "prediction"),
                List.of(loaded.transform(data).schema().fieldNames()));

        List<Row> centres = TestSpark.spark().read().parquet(path + "/data").orderBy("segment").collectAsList();
        assertEquals(4, centres.size());
        assertEquals((float) model.clusterCenters()[2].apply(1), (float) centres.get(2).getList(1).get(1));
        double total = centres.stream().mapToDouble(r -> r.getDouble(2)).sum();
        assertEquals(data.count(), total, 1e-9);
    }

    @Test
    void loadingSomethingElseSaysWhatItIs(@TempDir Path dir) throws IOException {
        new SegmentaKMeans().write().save(dir.resolve("estimator").toString());
        String path = dir.resolve("estimator").toString();
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.segmenta.io.BadInputException.class,
                () -> SegmentaKMeansModel.load(path));
        assertTrue(e.getMessage().startsWith(path + ": not a saved SegmentaKMeansModel"), e.getMessage());
    }
}
