package dev.segmenta.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Segmenta on Spark against Spark MLlib's own k-means, from the same starting centres. */
class MLlibParityTest {

    private static final int K = 6;
    private static final int D = 5;

    private static Dataset<Row> data;
    private static double[][] start;

    @BeforeAll
    static void data() {
        data = TestSpark.blobs(TestSpark.corners(K, D, 4f), 2_000, 11, 4).cache();
        List<Row> picked = data.orderBy("id").limit(K).select("features").collectAsList();
        start = new double[K][];
        for (int j = 0; j < K; j++) {
            start[j] = ((Vector) picked.get(j).get(0)).toArray();
        }
    }

    private static KMeansModel mllib(int maxIter, double tol) {
        JavaRDD<org.apache.spark.mllib.linalg.Vector> rows = data.select("features").javaRDD()
                .map(r -> Vectors.fromML((Vector) r.get(0)));
        org.apache.spark.mllib.linalg.Vector[] initial = new org.apache.spark.mllib.linalg.Vector[K];
        for (int j = 0; j < K; j++) {
            initial[j] = Vectors.dense(start[j]);
        }
        return new org.apache.spark.mllib.clustering.KMeans().setK(K).setMaxIterations(maxIter).setEpsilon(tol)
                .setInitialModel(new KMeansModel(initial)).run(rows.rdd());
    }

    private static double cost(KMeansModel model) {
        return model.computeCost(data.select("features").javaRDD().map(r -> Vectors.fromML((Vector) r.get(0))).rdd());
    }

    @Test
    void sameCostAsMLlibFromTheSameCentres() {
        KMeansModel reference = mllib(50, 1e-4);
        SegmentaKMeansModel ours = new SegmentaKMeans().setK(K).setMaxIter(50).setTol(1e-4).setInitialCenters(start)
                .fit(data);
        double expected = cost(reference);
        double actual = ours.summary().trainingCost();
        assertEquals(expected, actual, 1e-6 * expected, "cost");
        Vector[] centres = ours.clusterCenters();
        for (int j = 0; j < K; j++) {
            double[] theirs = reference.clusterCenters()[j].toArray();
            for (int f = 0; f < D; f++) {
                assertEquals(theirs[f], centres[j].apply(f), 1e-4, "centre " + j + " feature " + f);
            }
        }
        assertTrue(ours.summary().converged());
        assertEquals(List.of("simd"), ours.summary().backends(), "the SIMD kernels ran on the executors");
    }

    @Test
    void sameCostAsMLlibAfterAFixedNumberOfIterations() {
        for (int iterations : new int[] {1, 3}) {
            KMeansModel reference = mllib(iterations, 0);
            SegmentaKMeansModel ours = new SegmentaKMeans().setK(K).setMaxIter(iterations).setTol(0)
                    .setInitialCenters(start).fit(data);
            double expected = cost(reference);
            assertEquals(expected, ours.summary().trainingCost(), 1e-6 * expected, iterations + " iterations");
            assertEquals(iterations, ours.summary().numIter());
        }
    }

    @Test
    void sameSegmentsAsMLlib() {
        KMeansModel reference = mllib(50, 1e-4);
        SegmentaKMeansModel ours = new SegmentaKMeans().setK(K).setMaxIter(50).setInitialCenters(start).fit(data);
        List<Row> rows = ours.transform(data).select("features", "prediction", "distance").collectAsList();
        int differ = 0;
        for (Row row : rows) {
            org.apache.spark.mllib.linalg.Vector v = Vectors.fromML((Vector) row.get(0));
            int theirs = reference.predict(v);
            if (theirs != row.getInt(1)) {
                differ++;
            }
            double[] c = reference.clusterCenters()[theirs].toArray();
            double sq = 0;
            for (int f = 0; f < D; f++) {
                sq += (v.apply(f) - c[f]) * (v.apply(f) - c[f]);
            }
            assertEquals(Math.sqrt(sq), row.getDouble(2), 1e-4);
        }
        assertEquals(0, differ, "rows assigned to another segment than MLlib's");
    }
}
