package dev.segmenta.bench;

import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.generate.CustomerGenerator;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KMeansKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A whole fit through the engine, {@code KMeans.fit}, on {@link CustomerGenerator} data z-scored as
 * {@code segmenta fit} does: one restart, k-means++ seeding, at most {@value #MAX_ITERATIONS} Lloyd
 * iterations with tolerance 0 (so it stops early only if no centroid moves at all), plus the final
 * scoring pass. Setup prints how many iterations a fit runs and how long seeding takes, so the time
 * per op can be split into seeding and per-iteration cost. The data's file reading and scaling are
 * not timed.
 *
 * <p>The generator's segments are well separated: with {@code segments = k} Lloyd stops after about two
 * iterations (no centroid moves), so an op would be mostly seeding. By default k=8 is fitted to 3 true
 * segments, which keeps the centroids moving through all {@value #MAX_ITERATIONS} iterations (setup
 * prints the count), so an op is seeding plus {@value #MAX_ITERATIONS} Lloyd passes plus the final
 * scoring pass; {@code -p segments=8} gives the easy case. The engine cannot force an exact iteration
 * count: tolerance 0 still stops when no centroid moves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FitBenchmark {

    static final int MAX_ITERATIONS = 20;

    @Param({"simd"})
    String backend;

    @Param("1000000")
    int n;

    @Param("8")
    int d;

    @Param("8")
    int k;

    /** True segments in the generated data: fewer than {@code k}, so Lloyd runs all its iterations. */
    @Param("3")
    int segments;

    @Param({"1", "2"})
    int threads;

    private KMeansKernels kernels;
    private BlockExecutor executor;
    private Dataset data;
    private KMeansParams params;
    private double meanVariance;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        CustomerGenerator generator = new CustomerGenerator(n, d, segments, 7);
        FeatureBatch[] blocks = new FeatureBatch[generator.chunkCount()];
        executor.forEachBlock(blocks.length, b -> blocks[b] = generator.chunk(b).features());
        data = new Dataset(List.of(blocks), generator.featureNames(), null);
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = Scaling.fit(Scaling.ZSCORE, stats);
        executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
        meanVariance = scaling.scaledMeanVariance(stats);
        params = new KMeansParams(k, MAX_ITERATIONS, 0, 1, 1);
        KMeansResult result = fit();
        BenchData.check(result.iterations() >= 1 && Double.isFinite(result.inertia()),
                "fit ran %d iterations, inertia %g", result.iterations(), result.inertia());
        System.out.printf(Locale.ROOT, "fit: %d iterations (%s), seeding %.1f ms, inertia %.6g%n", result.iterations(),
                result.converged() ? "converged" : "cap", result.initNanos() / 1e6, result.inertia());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public KMeansResult fit() {
        return KMeans.fit(data, params, kernels, executor, KMeansListener.NONE, meanVariance).result();
    }
}
