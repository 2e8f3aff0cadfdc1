package dev.segmenta.bench;

import dev.segmenta.engine.bench.BenchInputs;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
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

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A whole fit through the engine, {@code KMeans.fit}, on generated customers z-scored as
 * {@code segmenta fit} does ({@link BenchInputs}): one restart, k-means++ seeding, at most
 * {@value #MAX_ITERATIONS} Lloyd iterations with tolerance 0 (so it stops early only if no centroid moves
 * at all), plus the final scoring pass. Setup prints how many iterations a fit runs, how long seeding
 * takes and the median iteration, so the time per op can be split into seeding and iterations. Generating
 * and scaling the data are not timed.
 *
 * <p>The generator's segments are well separated: with {@code segments = k} Lloyd stops after about two
 * iterations, so an op would be mostly seeding. By default the data have 3 true segments, fewer than
 * any benchmarked k, which keeps the centroids moving through all {@value #MAX_ITERATIONS} iterations.
 * The defaults are the short profile (1M customers, k=8 and 64); the end-to-end set adds 10M:
 * <pre>
 * java -jar bench/target/benchmarks.jar FitBenchmark -p n=1000000,10000000 -p k=8,64 -jvmArgsPrepend -Xmx6g
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FitBenchmark {

    static final int MAX_ITERATIONS = 20;

    @Param({"simd"})
    String backend;

    @Param("1000000")
    long n;

    @Param("8")
    int d;

    @Param({"8", "64"})
    int k;

    /** True segments in the generated data: fewer than {@code k}, so Lloyd runs all its iterations. */
    @Param("3")
    int segments;

    @Param("2")
    int threads;

    private KMeansKernels kernels;
    private BlockExecutor executor;
    private BenchInputs inputs;
    private KMeansParams params;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        inputs = BenchInputs.customers(n, d, segments, 7, executor);
        params = new KMeansParams(k, MAX_ITERATIONS, 0, 1, 1);
        KMeansResult result = fit();
        BenchData.check(result.iterations() >= 1 && Double.isFinite(result.inertia()),
                "fit ran %d iterations, inertia %g", result.iterations(), result.inertia());
        long[] iterations = result.iterationNanos().clone();
        Arrays.sort(iterations);
        System.out.printf(Locale.ROOT, "fit: %d iterations (%s), seeding %.1f ms, median iteration %.2f ms, inertia %.6g%n",
                result.iterations(), result.converged() ? "converged" : "cap", result.initNanos() / 1e6,
                iterations[iterations.length / 2] / 1e6, result.inertia());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public KMeansResult fit() {
        return KMeans.fit(inputs.data(), params, kernels, executor, KMeansListener.NONE, inputs.meanVariance()).result();
    }
}
