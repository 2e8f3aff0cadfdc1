package dev.segmenta.spark;

import dev.segmenta.engine.eval.AdjustedRandIndex;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Determinism, input forms, weights, backends and discovery. */
class BehaviourTest {

    private static final int K = 5;
    private static final int D = 4;
    private static Dataset<Row> data;

    @BeforeAll
    static void data() {
        data = TestSpark.blobs(TestSpark.corners(K, D, 6f), 400, 21, 4).cache();
    }

    private static double[][] centres(SegmentaKMeansModel model) {
        return Arrays.stream(model.clusterCenters()).map(Vector::toArray).toArray(double[][]::new);
    }

    private static int[] column(Dataset<Row> rows, String name) {
        return rows.orderBy("id").select(name).collectAsList().stream().mapToInt(r -> r.getInt(0)).toArray();
    }

    @Test
    void kMeansParallelFindsTheBlobsAndTheSameSeedGivesTheSameModel() {
        SegmentaKMeans estimator = new SegmentaKMeans().setK(K).setSeed(3);
        SegmentaKMeansModel first = estimator.fit(data);
        SegmentaKMeansModel second = estimator.fit(data);
        assertArrayEquals(centres(first), centres(second));
        assertEquals(first.summary().trainingCost(), second.summary().trainingCost());
        Dataset<Row> assigned = first.transform(data);
        int[] truth = column(assigned, "truth");
        AdjustedRandIndex agreement = new AdjustedRandIndex(K, K);
        agreement.add(truth, column(assigned, "prediction"), truth.length);
        double ari = agreement.value();
        assertTrue(ari > 0.99, "ARI " + ari);
    }

    @Test
    void randomInitAlsoConverges() {
        SegmentaKMeansModel model = new SegmentaKMeans().setK(K).setSeed(8).setInitMode("random").setMaxIter(100)
                .fit(data);
        assertTrue(model.summary().converged());
        assertEquals(data.count(), Arrays.stream(model.summary().clusterWeights()).sum(), 1e-9);
    }

    @Test
    void vectorsArraysAndColumnsGiveTheSameModel() {
        SegmentaKMeans estimator = new SegmentaKMeans().setK(K).setSeed(4).setMaxIter(5);
        SegmentaKMeansModel vectors = estimator.fit(data);
        Dataset<Row> arrays = data.withColumn("features",
                org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float32"));
        SegmentaKMeansModel floats = estimator.fit(arrays);
        SegmentaKMeansModel columns = estimator.copy(new org.apache.spark.ml.param.ParamMap())
                .setInputCols(TestSpark.featureColumns(D)).fit(data);
        assertArrayEquals(centres(vectors), centres(floats));
        assertArrayEquals(centres(vectors), centres(columns));
        assertArrayEquals(column(vectors.transform(data), "prediction"), column(floats.transform(arrays), "prediction"));
    }

    @Test
    void integerWeightsActLikeRepeatedRows() {
        Dataset<Row> small = data.limit(500).withColumn("w", functions.col("id").mod(3).plus(1).cast("double"))
                .cache();
        Dataset<Row> repeated = small.withColumn("copy",
                functions.explode(functions.sequence(functions.lit(1), functions.col("w").cast("int"))));
        double[][] start = centres(new SegmentaKMeans().setK(3).setSeed(1).setMaxIter(1).fit(small));
        SegmentaKMeans estimator = new SegmentaKMeans().setK(3).setMaxIter(10).setInitialCenters(start);
        SegmentaKMeansModel weighted = estimator.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w")
                .fit(small);
        SegmentaKMeansModel copies = estimator.fit(repeated);
        assertEquals(copies.summary().trainingCost(), weighted.summary().trainingCost(),
                1e-5 * copies.summary().trainingCost());
        double[][] a = centres(weighted);
        double[][] b = centres(copies);
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(b[j], a[j], 1e-4);
        }
    }

    @Test
    void scalarAndSimdBackendsAgree() {
        SegmentaKMeans estimator = new SegmentaKMeans().setK(K).setSeed(6).setMaxIter(5);
        SegmentaKMeansModel simd = estimator.fit(data);
        SegmentaKMeansModel scalar = estimator.copy(new org.apache.spark.ml.param.ParamMap()).setBackend("scalar")
                .fit(data);
        assertEquals(List.of("scalar"), scalar.summary().backends());
        assertEquals(List.of("simd"), simd.summary().backends());
        assertEquals(simd.summary().trainingCost(), scalar.summary().trainingCost(),
                1e-6 * simd.summary().trainingCost());
        assertArrayEquals(column(simd.transform(data), "prediction"),
                column(scalar.setBackend("scalar").transform(data), "prediction"));
    }

    @Test
    void treeReduceMergesInPartitionOrderAtEveryLevel() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.spark().sparkContext());
        for (int partitions : new int[] {3, 40}) {
            List<Integer> values = IntStream.range(0, partitions).boxed().toList();
            JavaRDD<ArrayList<Integer>> singles = sc.parallelize(values, partitions).map(v -> new ArrayList<>(List.of(v)));
            ArrayList<Integer> merged = OrderedTreeReduce.reduce(singles, (a, b) -> {
                a.addAll(b);
                return a;
            });
            assertEquals(values, merged, partitions + " partitions");
        }
    }

    @Test
    void partialsAndBlocksSurviveJavaAndKryoSerialization() {
        FeatureBlock block = new FeatureBlock(new float[] {1, 2, 3, 4, 5, 6}, 3, new float[] {1, 0, 2});
        LloydPartial partial = LloydPartial.of(List.of(block), new float[] {0, 0, 3, 6}, 2, 2,
                DistributedKMeans.kernels("scalar"));
        ClassTag<LloydPartial> partialTag = ClassTag$.MODULE$.apply(LloydPartial.class);
        ClassTag<FeatureBlock> blockTag = ClassTag$.MODULE$.apply(FeatureBlock.class);
        for (Serializer serializer : List.of(new JavaSerializer(new SparkConf()), new KryoSerializer(new SparkConf()))) {
            SerializerInstance instance = serializer.newInstance();
            LloydPartial copy = instance.deserialize(instance.serialize(partial, partialTag), partialTag);
            assertArrayEquals(partial.counts, copy.counts);
            assertArrayEquals(partial.sums, copy.sums);
            assertEquals(partial.cost, copy.cost);
            assertEquals(partial.backends, copy.backends);
            FeatureBlock again = instance.deserialize(instance.serialize(block, blockTag), blockTag);
            assertArrayEquals(block.x, again.x);
            assertArrayEquals(block.weights, again.weights);
        }
    }

    @Test
    void sparkConnectFindsTheEstimatorAndTheModel() {
        List<String> estimators = ServiceLoader.load(Estimator.class).stream().map(p -> p.type().getName()).toList();
        List<String> transformers = ServiceLoader.load(Transformer.class).stream().map(p -> p.type().getName())
                .toList();
        assertTrue(estimators.contains(SegmentaKMeans.class.getName()), estimators.toString());
        assertTrue(transformers.contains(SegmentaKMeansModel.class.getName()), transformers.toString());
        SegmentaKMeans byName = new SegmentaKMeans("segmentaKMeans_connect");
        assertEquals("segmentaKMeans_connect", byName.uid());
        assertEquals(2, byName.getK());
        assertTrue(byName.explainParams().contains("initSteps: Sampling rounds of k-means|| (>= 1). (default: 2)"));
    }
}
