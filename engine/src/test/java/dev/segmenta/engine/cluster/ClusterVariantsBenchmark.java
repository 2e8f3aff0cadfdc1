package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Side-by-side timings of the seedings and variants on one generated file; off unless
 * {@code SEGMENTA_BENCH_FILE} names the file (written on first use: 10M customers x 8 features,
 * 8 true segments, seed 1; scikit-learn side by side: {@code bench/peers/compare.sh --fit --algorithm minibatch}).
 * Run: {@code SEGMENTA_BENCH_FILE=/tmp/c10m.arrow ./mvnw -B -q -pl engine -am verify
 * -Dtest=ClusterVariantsBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.extraArgs=-Xmx4g}.
 * {@code SEGMENTA_BENCH_K} (default {@code 8,64}) picks the k values and {@code SEGMENTA_BENCH_SEEDS}
 * (default 3) how many seeds each seeding runs with: the seeding's cost and its final inertia vary by
 * seed, so the comparison line per k reports means over the seeds, k-means|| over k-means++.
 * Not a test: it asserts nothing and prints one line per run, after one untimed warm-up fit per seeding.
 */
@EnabledIfEnvironmentVariable(named = "SEGMENTA_BENCH_FILE", matches = ".+")
class ClusterVariantsBenchmark {

    private static final int THREADS = 2;

    @Test
    void compare() throws IOException {
        Path file = Path.of(System.getenv("SEGMENTA_BENCH_FILE"));
        if (!Files.exists(file)) {
            OutOfCoreKMeansTest.writeCustomers(file, 10_000_000, 8, 8, 1);
        }
        KMeansKernels kernels = Kernels.select("auto").kernels();
        String ks = System.getenv().getOrDefault("SEGMENTA_BENCH_K", "8,64");
        int seeds = Integer.parseInt(System.getenv().getOrDefault("SEGMENTA_BENCH_SEEDS", "3"));
        try (BlockExecutor executor = new BlockExecutor(THREADS)) {
            Dataset data = DatasetLoader.load(file, ReadOptions.defaults(), null, rows -> { });
            FeatureStats stats = FeatureStats.of(data, executor);
            Scaling scaling = Scaling.fit(Scaling.ZSCORE, stats);
            executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
            double variance = scaling.scaledMeanVariance(stats);
            print("data %,d x %d, backend %s, %d threads", data.rows(), data.dimensions(), kernels.name(), THREADS);
            for (Initialization init : Initialization.values()) {
                KMeans.fit(data, new KMeansParams(8, 3, 0, 1, 2), init, kernels, executor, KMeansListener.NONE, variance);
            }
            for (String kText : ks.split(",")) {
                int k = Integer.parseInt(kText.trim());
                double[] initSeconds = new double[Initialization.values().length];
                double[] inertia = new double[Initialization.values().length];
                for (int seed = 1; seed <= seeds; seed++) {
                    KMeansParams params = new KMeansParams(k, 300, 1e-4, 1, seed);
                    for (Initialization init : Initialization.values()) {
                        long start = System.nanoTime();
                        KMeansResult r = KMeans.fit(data, params, init, kernels, executor, KMeansListener.NONE, variance)
                                .result();
                        print("k=%d seed %d %-10s init %7.3f s | Lloyd %3d iterations, total %7.3f s | inertia %.6g", k,
                                seed, init.label(), r.initNanos() / 1e9, r.iterations(),
                                (System.nanoTime() - start) / 1e9, r.inertia());
                        initSeconds[init.ordinal()] += r.initNanos() / 1e9 / seeds;
                        inertia[init.ordinal()] += r.inertia() / seeds;
                    }
                }
                int pp = Initialization.KMEANS_PLUS_PLUS.ordinal();
                int par = Initialization.KMEANS_PARALLEL.ordinal();
                print("k=%d mean of %d seeds: init k-means++ %.3f s, k-means|| %.3f s (ratio %.3f) | final inertia "
                                + "k-means++ %.6g, k-means|| %.6g (ratio %.5f)", k, seeds, initSeconds[pp],
                        initSeconds[par], initSeconds[par] / initSeconds[pp], inertia[pp], inertia[par],
                        inertia[par] / inertia[pp]);
                long start = System.nanoTime();
                KMeansParams miniParams = new KMeansParams(k, 100, 0, 1, 1);
                KMeansResult mini = new MiniBatchKMeans().fit(data, miniParams, Initialization.KMEANS_PLUS_PLUS, kernels,
                        executor, KMeansListener.NONE, variance).result();
                print("k=%d mini-batch init %7.3f s | %5d steps of 1024, total %7.3f s (incl. final full pass) | inertia %.6g",
                        k, mini.initNanos() / 1e9, mini.iterations(), (System.nanoTime() - start) / 1e9, mini.inertia());
            }
        }
    }

    private static void print(String format, Object... args) {
        System.out.println("BENCH " + String.format(Locale.ROOT, format, args));
    }
}
