package dev.segmenta.peers;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Apache Spark MLlib's k-means in local mode ({@code local[threads]}), from given centroids through
 * {@code setInitialModel}: the RDD API that {@code spark.ml.clustering.KMeans} runs on, which alone
 * takes initial centroids. Each partition reads its rows straight from the points file (no Hadoop
 * file system, no driver-side copy), and the RDD is cached before timing, as a user would cache a
 * data set they iterate over.
 */
final class SparkPeer implements Peer {

    private final int threads;
    private final JavaSparkContext spark;
    private JavaRDD<Vector> rows;

    SparkPeer(int threads) {
        this.threads = threads;
        SparkConf conf = new SparkConf()
                .setMaster("local[" + threads + "]")
                .setAppName("segmenta-peers")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false");
        this.spark = new JavaSparkContext(conf);
        spark.setLogLevel("WARN");
    }

    @Override
    public String name() {
        return "Spark MLlib " + spark.version() + " KMeans (local[" + threads + "])";
    }

    @Override
    public int threadsUsed() {
        return threads;
    }

    /** Two partitions per thread, each a contiguous slice of the file; then cached and counted. */
    @Override
    public void load(Path file, int d) throws IOException {
        int partitions = 2 * threads;
        long n = Files.size(file) / (4L * d);
        String path = file.toString();
        List<long[]> slices = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            slices.add(new long[] {n * p / partitions, n * (p + 1) / partitions});
        }
        rows = spark.parallelize(slices, partitions).flatMap(slice -> {
            float[] values = Points.readRows(Path.of(path), d, slice[0], slice[1]);
            List<Vector> vectors = new ArrayList<>((int) (slice[1] - slice[0]));
            for (int i = 0; i < values.length; i += d) {
                double[] v = new double[d];
                for (int f = 0; f < d; f++) {
                    v[f] = values[i + f];
                }
                vectors.add(Vectors.dense(v));
            }
            return vectors.iterator();
        }).persist(StorageLevel.MEMORY_ONLY());
        long count = rows.count();
        if (count != n) {
            throw new IllegalStateException("Spark read " + count + " rows, expected " + n);
        }
    }

    /** Epsilon 0: Spark stops early only when no centroid moves. */
    @Override
    public Fit fit(float[] initial, int k, int iterations) {
        int d = initial.length / k;
        Vector[] centres = new Vector[k];
        for (int j = 0; j < k; j++) {
            double[] c = new double[d];
            for (int f = 0; f < d; f++) {
                c[f] = initial[j * d + f];
            }
            centres[j] = Vectors.dense(c);
        }
        KMeansModel model = new KMeans().setK(k).setMaxIterations(iterations).setEpsilon(0)
                .setInitialModel(new KMeansModel(centres)).run(rows.rdd());
        float[] result = new float[k * d];
        Vector[] found = model.clusterCenters();
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                result[j * d + f] = (float) found[j].apply(f);
            }
        }
        return new Fit(result, model.numIter());
    }

    @Override
    public void close() {
        spark.stop();
    }
}
