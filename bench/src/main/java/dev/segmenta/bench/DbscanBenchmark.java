package dev.segmenta.bench;

import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.cluster.KDistance;
import dev.segmenta.engine.cluster.PhaseListener;
import dev.segmenta.engine.cluster.SpatialIndex;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A whole DBSCAN fit (index build and the three passes) with each spatial index, to choose the
 * default ({@link SpatialIndex#AUTO}) by measurement. The data are {@link BenchData#blobs} (16
 * unit-variance blobs in {@code [-4, 4]^d}); eps is the median distance to the 10th nearest point
 * of a 2,000-point sample, so every dimension sees neighbourhoods of about the same size (half the
 * points core at {@code minSamples = 10}). Setup checks that both indexes give the same labels and
 * prints eps, the clusters and the noise.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DbscanBenchmark {

    static final int MIN_SAMPLES = 10;

    @Param({"simd"})
    String backend;

    @Param("200000")
    int n;

    @Param({"2", "3", "5", "8", "16"})
    int d;

    @Param({"grid", "kdtree"})
    String index;

    @Param("2")
    int threads;

    private KMeansKernels kernels;
    private BlockExecutor executor;
    private Dataset data;
    private Dbscan dbscan;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        float[][] blocks = BenchData.blobs(11, n, d, executor);
        List<FeatureBatch> batches = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            names.add("f" + f);
        }
        for (int b = 0; b < blocks.length; b++) {
            int rows = BenchData.rows(n, b);
            long[] ids = new long[rows];
            Arrays.setAll(ids, i -> i);
            batches.add(new FeatureBatch(blocks[b], rows, d, (long) b * BenchData.BLOCK_ROWS, new IdColumn.Longs(ids, rows)));
        }
        data = new Dataset(batches, names, null);
        float[] curve = KDistance.of(data, MIN_SAMPLES, 2000, 1, executor).distances();
        double eps = curve[curve.length / 2];
        dbscan = new Dbscan(eps, MIN_SAMPLES, SpatialIndex.valueOf(index.toUpperCase(Locale.ROOT)));
        Dbscan.Result result = fit();
        SpatialIndex other = index.equals("grid") ? SpatialIndex.KDTREE : SpatialIndex.GRID;
        Dbscan.Result check = new Dbscan(eps, MIN_SAMPLES, other).fit(data, kernels, executor, PhaseListener.NONE);
        BenchData.check(Arrays.deepEquals(result.labels(), check.labels()), "grid and kdtree labels differ");
        System.out.printf(Locale.ROOT, "dbscan d=%d eps=%.4f: %d clusters, %d noise, %d core points%n", d, eps,
                result.clusters(), result.noise(), result.corePoints());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public Dbscan.Result fit() {
        return dbscan.fit(data, kernels, executor, PhaseListener.NONE);
    }
}
