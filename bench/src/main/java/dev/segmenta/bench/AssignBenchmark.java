package dev.segmenta.bench;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.PointBlocks;
import dev.segmenta.kernels.ResidentDataset;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One full Lloyd pass: {@code assignAndAccumulate} over every block of 16,384 rows, then the per-block
 * partials merged in block order, exactly as {@code KMeansWorkspace} does in a fit (same
 * {@link BlockExecutor}: a fixed pool whose threads claim blocks from an atomic counter).
 *
 * <p>Work per pass, to turn the time into rates:
 * <ul>
 *   <li>bytes moved: {@code n*d*4} read (the points) plus {@code n*8} written (label and distance per
 *       point); centroids and partial sums stay in cache. At 1M x 8 that is 40 MB per pass.</li>
 *   <li>flops: {@code 3*n*d*k} (subtract, multiply, add per feature per centroid); the argmin and the
 *       sums ({@code n*d} adds) are not counted. At 1M x 8, k=8 that is 0.19 GFLOP per pass.</li>
 * </ul>
 * A pass is bandwidth-bound when {@code 3*d*k / (4*d + 8)} flops per byte is below the machine's
 * FMA ceiling over its read bandwidth (see {@link StreamBenchmark}); at k=8 it is, at k=256 it is not.
 *
 * <p>A backend that holds the data itself ({@code tornado}: {@code KMeansKernels.upload}) gets it
 * once, untimed, and each timed pass is one {@code ResidentDataset.assignAndAccumulate} plus the same
 * merge: what a Lloyd iteration costs on it once the data is on the device.
 *
 * <p>Data: {@value BenchData#BLOBS} Gaussian blobs, fixed seed, generated once per trial; centroids
 * are {@code k} data points. Before timing, the backend's labels are checked against the scalar
 * reference on the first 62 blocks, about 1M rows (equal except at near-ties) and the inertia to a relative 1e-5.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar AssignBenchmark \
 *     -p backend=simd -p d=8 -p k=8 -p threads=1,2
 * java ... AssignBenchmark -p n=10000000 -jvmArgsAppend -Xmx6g   # 10M rows
 * # built with -Ptornado and TORNADOVM_HOME set: the forked JVM needs TornadoVM's flags
 * java -jar bench/target/benchmarks.jar AssignBenchmark -p backend=tornado -p d=8 -p k=8 -p threads=2 \
 *     -jvmArgsPrepend @$TORNADOVM_HOME/tornado-argfile
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AssignBenchmark {

    private static final int VALIDATED_BLOCKS = 62;

    @Param({"scalar", "simd"})
    String backend;

    @Param("1000000")
    int n;

    @Param({"8", "16", "32"})
    int d;

    @Param({"8", "16", "256"})
    int k;

    @Param({"1", "2"})
    int threads;

    private KMeansKernels kernels;
    private BlockExecutor executor;
    private float[][] x;
    private float[] c;
    private int[][] labels;
    private float[][] minDist;
    private double[] blockInertia;
    private double[][] blockCounts;
    private double[][] blockSums;
    private double[] counts;
    private double[] sums;
    private ResidentDataset resident;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        x = BenchData.blobs(42, n, d, executor);
        c = BenchData.centroidsFromData(x, n, d, k);
        int blocks = x.length;
        labels = new int[blocks][];
        minDist = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            labels[b] = new int[BenchData.rows(n, b)];
            minDist[b] = new float[BenchData.rows(n, b)];
        }
        blockInertia = new double[blocks];
        blockCounts = new double[blocks][k];
        blockSums = new double[blocks][k * d];
        counts = new double[k];
        sums = new double[k * d];
        int[] rows = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            rows[b] = labels[b].length;
        }
        resident = kernels.upload(new PointBlocks(List.of(x), rows, d, null), k).orElse(null);
        validate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (resident != null) {
            resident.close();
        }
        executor.close();
    }

    @Benchmark
    public double lloydPass(Blackhole bh) {
        double inertia = pass();
        bh.consume(counts);
        bh.consume(sums);
        return inertia;
    }

    private double pass() {
        int blocks = x.length;
        if (resident != null) {
            resident.assignAndAccumulate(c, k, blockCounts, blockSums, blockInertia);
        } else {
            executor.forEachBlock(blocks, b -> {
                Arrays.fill(blockCounts[b], 0);
                Arrays.fill(blockSums[b], 0);
                blockInertia[b] = kernels.assignAndAccumulate(x[b], labels[b].length, d, null, c, k,
                        labels[b], minDist[b], blockCounts[b], blockSums[b]);
            });
        }
        Arrays.fill(counts, 0);
        Arrays.fill(sums, 0);
        double inertia = 0;
        for (int b = 0; b < blocks; b++) {
            double[] bc = blockCounts[b];
            double[] bs = blockSums[b];
            for (int j = 0; j < k; j++) {
                counts[j] += bc[j];
            }
            for (int t = 0; t < bs.length; t++) {
                sums[t] += bs[t];
            }
            inertia += blockInertia[b];
        }
        return inertia;
    }

    /** The timed pass against the single-threaded scalar reference on the first blocks. */
    private void validate() {
        pass();
        if (resident != null) {
            resident.copyAssignments(labels, minDist);
        }
        KMeansKernels reference = BenchData.reference();
        int blocks = Math.min(VALIDATED_BLOCKS, x.length);
        double inertia = 0;
        double referenceInertia = 0;
        long rows = 0;
        long mismatches = 0;
        for (int b = 0; b < blocks; b++) {
            int m = labels[b].length;
            int[] refLabels = new int[m];
            float[] refDist = new float[m];
            referenceInertia += reference.assignAndAccumulate(x[b], m, d, null, c, k, refLabels, refDist,
                    new double[k], new double[k * d]);
            inertia += blockInertia[b];
            for (int i = 0; i < m; i++) {
                if (labels[b][i] != refLabels[i]) {
                    mismatches++;
                    double mine = BenchData.distance(x[b], m, i, d, c, labels[b][i]);
                    double best = BenchData.distance(x[b], m, i, d, c, refLabels[i]);
                    BenchData.check(Math.abs(mine - best) <= 1e-4 * (1 + best),
                            "%s block %d row %d: label %d at %.7g, scalar %d at %.7g", backend, b, i,
                            labels[b][i], mine, refLabels[i], best);
                }
            }
            rows += m;
        }
        BenchData.check(Math.abs(inertia - referenceInertia) <= 1e-5 * referenceInertia,
                "%s inertia %.9g, scalar %.9g", backend, inertia, referenceInertia);
        double total = 0;
        for (double count : counts) {
            total += count;
        }
        BenchData.check(total == n, "counts add up to %.0f, not %d", total, n);
        System.out.printf(Locale.ROOT, "validated %s against scalar on %,d rows: %d near-tie label differences%n",
                backend, rows, mismatches);
    }
}
