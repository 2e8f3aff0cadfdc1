package dev.segmenta.spark;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** One local[2] Spark session for every test class in the JVM, and generated customers. */
final class TestSpark {

    private TestSpark() {
    }

    private static final class Holder {
        static final SparkSession SESSION = SparkSession.builder()
                .master("local[2]")
                .appName("segmenta-spark-tests")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .getOrCreate();

        static {
            SESSION.sparkContext().setLogLevel("WARN");
        }
    }

    static SparkSession spark() {
        return Holder.SESSION;
    }

    /**
     * {@code perCluster} Gaussian rows (σ = 1) around each centre, shuffled, as float32 values: column
     * {@code id} (long), {@code features} (vector), {@code f0..f(d-1)} (double) and {@code truth} (int).
     */
    static Dataset<Row> blobs(float[][] centres, int perCluster, long seed, int partitions) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = centres[0].length;
        int n = centres.length * perCluster;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Row> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int c = order[r] / perCluster;
            Object[] values = new Object[d + 3];
            double[] x = new double[d];
            for (int f = 0; f < d; f++) {
                x[f] = (float) (centres[c][f] + random.nextGaussian());
                values[2 + f] = x[f];
            }
            values[0] = (long) r;
            values[1] = Vectors.dense(x);
            values[d + 2] = c;
            rows.add(RowFactory.create(values));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("features", new VectorUDT());
        for (int f = 0; f < d; f++) {
            schema = schema.add("f" + f, DataTypes.DoubleType);
        }
        schema = schema.add("truth", DataTypes.IntegerType);
        return spark().createDataFrame(rows, schema).repartition(partitions);
    }

    /** {@code k <= 2^d} corners of a hypercube with side {@code spacing}, so blobs of σ = 1 barely overlap. */
    static float[][] corners(int k, int d, float spacing) {
        float[][] centres = new float[k][d];
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                centres[j][f] = spacing * ((j >> f) & 1);
            }
        }
        return centres;
    }

    static String[] featureColumns(int d) {
        String[] names = new String[d];
        for (int f = 0; f < d; f++) {
            names[f] = "f" + f;
        }
        return names;
    }
}
