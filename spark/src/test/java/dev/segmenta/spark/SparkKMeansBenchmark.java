package dev.segmenta.spark;

import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Per-iteration time of Segmenta on Spark against Spark MLlib's block solver ({@code solver=block},
 * GEMM over stacked blocks), side by side on one cached DataFrame in one local[2] session: 1M rows
 * x 8 features, 10 overlapping Gaussian blobs, k = 10, tol = 0. Off unless {@code SEGMENTA_SPARK_BENCH}
 * is set. Run:
 * {@code SEGMENTA_SPARK_BENCH=1 ./mvnw -B -q -Pspark -pl spark -am verify -Dtest=SparkKMeansBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.extraArgs=-Xmx4g}.
 *
 * <p>Each fit's fixed costs (seeding, MLlib's blockifying, Segmenta's block conversion, summaries)
 * cancel out: a round times fits of {@code 1 + ITERATIONS} and of 1 iteration for each engine, and
 * the per-iteration time is their difference over the difference in iterations run. Rounds
 * alternate the engines; the median of the rounds is printed, with Segmenta's own per-iteration
 * driver timings as a cross-check. Not a test: it asserts nothing.
 */
@EnabledIfEnvironmentVariable(named = "SEGMENTA_SPARK_BENCH", matches = ".+")
class SparkKMeansBenchmark {

    private static final int ROWS = 1_000_000;
    private static final int D = 8;
    private static final int K = 10;
    private static final int ITERATIONS = 20;
    private static final int ROUNDS = 3;

    private record Timed(double seconds, int iterations, double cost) { }

    @Test
    void compare() {
        int partitions = Integer.parseInt(System.getenv().getOrDefault("SEGMENTA_SPARK_BENCH_PARTITIONS", "4"));
        Column[] features = new Column[D + 1];
        features[0] = functions.col("id");
        for (int f = 0; f < D; f++) {
            Column centre = functions.col("id").mod(K).multiply(7).plus(3 * f).mod(K).divide(3.0);
            features[f + 1] = centre.plus(functions.randn(100 + f)).cast("float").cast("double").as("f" + f);
        }
        Dataset<Row> data = new VectorAssembler().setInputCols(TestSpark.featureColumns(D)).setOutputCol("features")
                .transform(TestSpark.spark().range(0, ROWS, 1, partitions).select(features)).select("features")
                .cache();
        print("data: %,d rows x %d features, %d partitions, local[2], k=%d, %d iterations, tol=0", data.count(), D,
                partitions, K, ITERATIONS);

        IntFunction<Timed> mllib = iterations -> {
            long start = System.nanoTime();
            KMeansModel m = new KMeans().setK(K).setMaxIter(iterations).setTol(0).setSeed(1).setSolver("block")
                    .fit(data);
            return new Timed((System.nanoTime() - start) / 1e9, m.summary().numIter(), m.summary().trainingCost());
        };
        double[] ownIteration = new double[ROUNDS];
        IntFunction<Timed> segmenta = iterations -> {
            long start = System.nanoTime();
            SegmentaKMeansModel m = new SegmentaKMeans().setK(K).setMaxIter(iterations).setTol(0).setSeed(1).fit(data);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (iterations > 1) {
                long[] nanos = m.summary().iterationNanos().clone();
                Arrays.sort(nanos);
                ownIteration[0] = nanos[nanos.length / 2] / 1e9;
            }
            return new Timed(seconds, m.summary().numIter(), m.summary().trainingCost());
        };
        mllib.apply(2);
        segmenta.apply(2);

        double[] theirs = new double[ROUNDS];
        double[] ours = new double[ROUNDS];
        double[] ownMedian = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            theirs[r] = perIteration("MLlib block", r, mllib);
            ours[r] = perIteration("Segmenta   ", r, segmenta);
            ownMedian[r] = ownIteration[0];
        }
        Arrays.sort(theirs);
        Arrays.sort(ours);
        Arrays.sort(ownMedian);
        double t = theirs[ROUNDS / 2];
        double o = ours[ROUNDS / 2];
        print("median per iteration: MLlib block %.3f s, Segmenta %.3f s (its own iteration timer: %.3f s); "
                + "Segmenta is %.1fx faster", t, o, ownMedian[ROUNDS / 2], t / o);
    }

    private static double perIteration(String name, int round, IntFunction<Timed> fit) {
        Timed one = fit.apply(1);
        Timed many = fit.apply(1 + ITERATIONS);
        double perIteration = (many.seconds() - one.seconds()) / (many.iterations() - one.iterations());
        print("round %d %s: 1 iteration %.2f s, %d iterations %.2f s -> %.3f s per iteration (cost %.6g)", round,
                name, one.seconds(), many.iterations(), many.seconds(), perIteration, many.cost());
        return perIteration;
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
