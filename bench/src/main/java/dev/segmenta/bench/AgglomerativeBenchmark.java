package dev.segmenta.bench;

import dev.segmenta.engine.cluster.Agglomerative;
import dev.segmenta.engine.cluster.Dendrogram;
import dev.segmenta.engine.cluster.Linkage;
import dev.segmenta.engine.data.BlockExecutor;
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

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The exact dendrogram of {@code n} points ({@code Agglomerative.linkage}) per linkage, once the JIT
 * has compiled it: what a long-running service pays, against the CLI's first (cold) run in
 * {@code bench/peers/compare_clustering.py hierarchical}. The points are unit Gaussians in
 * {@code d} dimensions (fixed seed), the input scipy's {@code linkage} gets in the same comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AgglomerativeBenchmark {

    @Param("5000")
    int n;

    @Param("4")
    int d;

    @Param({"ward", "complete", "average", "single"})
    String linkage;

    @Param("2")
    int threads;

    private double[] points;
    private BlockExecutor executor;
    private Linkage method;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(4);
        points = new double[n * d];
        for (int i = 0; i < points.length; i++) {
            points[i] = (float) random.nextGaussian();
        }
        executor = new BlockExecutor(threads);
        method = Linkage.valueOf(linkage.toUpperCase(Locale.ROOT));
        Dendrogram z = linkage();
        BenchData.check(z.merges() == n - 1 && z.size(n - 2) == n, "dendrogram of %d merges", z.merges());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public Dendrogram linkage() {
        return Agglomerative.linkage(points, null, n, d, method, executor);
    }
}
