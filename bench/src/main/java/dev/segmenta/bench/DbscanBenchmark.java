package dev.segmenta.bench;

import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.cluster.KDistance;
import dev.segmenta.engine.cluster.PhaseListener;
import dev.segmenta.engine.cluster.SpatialIndex;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.ReadOptions;
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

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A whole DBSCAN fit (index build and the three passes) with each spatial index, to choose the
 * default ({@link SpatialIndex#AUTO}) by measurement. The data are {@link #blobs} (16
 * unit-variance blobs in {@code [-4, 4]^d}); eps is the median distance to the 10th nearest point
 * of a 2,000-point sample, so every dimension sees neighbourhoods of about the same size (half the
 * points core at {@code minSamples = 10}). With {@code -p cpuRepeats=R} (R > 0), setup first fits with
 * both indexes, alternately, R times each, checks that they give the same labels, and prints eps, the
 * clusters and the noise, the distances each index computes per customer (the cost that does not
 * depend on the machine) and the process CPU time of a fit (best of R; less disturbed than wall time on
 * a shared machine). The defaults are the short profile's: 100,000 customers, 2 and 8 features (one
 * where each index wins), no setup comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DbscanBenchmark {

    static final int MIN_SAMPLES = 10;
    static final int BLOBS = 16;
    @Param({"simd"})
    String backend;

    @Param("100000")
    int n;

    @Param({"2", "8"})
    int d;

    @Param({"grid", "kdtree"})
    String index;

    @Param("2")
    int threads;

    /** Fits per index in setup, for the index comparison; alternating them gives both the same JIT state and load. */
    @Param("0")
    int cpuRepeats;

    private KMeansKernels kernels;
    private BlockExecutor executor;
    private Dataset data;
    private Dbscan dbscan;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        List<FeatureBatch> batches = blobs(11, n, d, executor);
        List<String> names = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            names.add("f" + f);
        }
        data = new Dataset(batches, names, null);
        float[] curve = KDistance.of(data, MIN_SAMPLES, 2000, 1, executor).distances();
        double eps = curve[curve.length / 2];
        dbscan = new Dbscan(eps, MIN_SAMPLES, SpatialIndex.valueOf(index.toUpperCase(Locale.ROOT)));
        if (cpuRepeats > 0) {
            compareIndexes(eps);
        }
    }

    /** Both indexes, alternately, {@link #cpuRepeats} times: same labels, distances and CPU time per fit. */
    private void compareIndexes(double eps) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        SpatialIndex[] kinds = {SpatialIndex.GRID, SpatialIndex.KDTREE};
        double[] cpu = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        Dbscan.Result[] results = new Dbscan.Result[2];
        for (int rep = 0; rep < cpuRepeats; rep++) {
            for (int i = 0; i < kinds.length; i++) {
                long start = os.getProcessCpuTime();
                results[i] = new Dbscan(eps, MIN_SAMPLES, kinds[i]).fit(data, kernels, executor, PhaseListener.NONE);
                cpu[i] = Math.min(cpu[i], (os.getProcessCpuTime() - start) / 1e9);
            }
        }
        BenchData.check(Arrays.deepEquals(results[0].labels(), results[1].labels()), "grid and kdtree labels differ");
        System.out.printf(Locale.ROOT, "dbscan d=%d eps=%.4f: %d clusters, %d noise, %d core points | distances per "
                        + "customer: grid %.1f, kdtree %.1f | process CPU per fit (best of %d, alternating): grid %.3f s, "
                        + "kdtree %.3f s%n", d, eps, results[0].clusters(), results[0].noise(), results[0].corePoints(),
                results[0].distances() / (double) n, results[1].distances() / (double) n, cpuRepeats, cpu[0], cpu[1]);
    }

    /**
     * {@code n} points around {@value #BLOBS} centres drawn uniformly from {@code [-4, 4]^d}, with unit
     * Gaussian noise, in the engine's blocks; block {@code b} depends only on the seed and {@code b}.
     * (DBSCAN's neighbourhoods need separated, round clusters of known density, which the customer
     * generator's segments of 4% of each feature's range are not.)
     */
    static List<FeatureBatch> blobs(long seed, int n, int d, BlockExecutor executor) {
        float[] centres = new float[BLOBS * d];
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < centres.length; t++) {
            centres[t] = (float) (8 * random.nextDouble() - 4);
        }
        int blockRows = ReadOptions.DEFAULT_BLOCK_ROWS;
        FeatureBatch[] blocks = new FeatureBatch[(n + blockRows - 1) / blockRows];
        executor.forEachBlock(blocks.length, b -> {
            int rows = Math.min(blockRows, n - b * blockRows);
            SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (b + 1)));
            float[] x = new float[rows * d];
            long[] ids = new long[rows];
            for (int i = 0; i < rows; i++) {
                int blob = r.nextInt(BLOBS);
                for (int f = 0; f < d; f++) {
                    x[f * rows + i] = (float) (centres[blob * d + f] + r.nextGaussian());
                }
                ids[i] = (long) b * blockRows + i;
            }
            blocks[b] = new FeatureBatch(x, rows, d, (long) b * blockRows, new IdColumn.Longs(ids, rows));
        });
        return List.of(blocks);
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
