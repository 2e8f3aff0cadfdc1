package dev.segmenta.bench;

import dev.segmenta.engine.bench.BenchInputs;
import dev.segmenta.engine.cluster.KMeansPasses;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One full Lloyd pass: {@code assignAndAccumulate} over every block of 16,384 rows, then the per-block
 * partials merged in block order, exactly as a fit does ({@link KMeansPasses}, the fit's own workspace
 * and {@link BlockExecutor}).
 *
 * <p>Work per pass ({@link dev.segmenta.engine.bench.KernelWork#lloydPass}): {@code n*d*4} bytes read
 * plus {@code n*8} written, {@code 3*n*d*k} flops. {@link JmhReport} turns the times into points/s,
 * GB/s and GFLOP/s and their share of {@link StreamBenchmark}'s ceilings.
 *
 * <p>A backend that holds the data itself ({@code tornado}: {@code KMeansKernels.upload}) gets it
 * once, untimed, when the passes are set up; each timed pass is then one device pass plus the same
 * merge: what a Lloyd iteration costs on it once the data is on the device.
 *
 * <p>Data: {@link dev.segmenta.engine.bench.BenchInputs} customers ({@value BenchData#SEGMENTS} true
 * segments, z-scored); centroids are {@code k} customers spread over the data. Before timing, the labels
 * are checked against the scalar reference on the first 62 blocks, about 1M rows (equal except at
 * near-ties), and the inertia to a relative 1e-5.
 *
 * <p>The defaults are the short profile's; {@code -p backend=scalar,simd} adds the scalar reference
 * ({@code tornado} where installed). The full sweep (scalar at 10M x 64, k=256 would take
 * minutes per pass):
 * <pre>
 * java -jar bench/target/benchmarks.jar AssignBenchmark -p backend=simd \
 *     -p n=100000,1000000,10000000 -p d=4,8,16,32,64 -p k=4,8,16,64,256 -jvmArgsPrepend -Xmx8g -rf json
 * # built with -Ptornado and TORNADOVM_HOME set: the forked JVM needs TornadoVM's flags
 * java -jar bench/target/benchmarks.jar AssignBenchmark -p backend=tornado -p d=8 -p k=8 \
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

    /** simd only by default: the scalar reference at 1M x 32, k=256 takes about 10 s a pass, longer than the short profile allows. */
    @Param("simd")
    String backend;

    @Param("1000000")
    long n;

    @Param({"8", "32"})
    int d;

    @Param({"8", "256"})
    int k;

    @Param("2")
    int threads;

    private BlockExecutor executor;
    private Dataset data;
    private KMeansPasses passes;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        KMeansKernels kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        BenchInputs inputs = BenchData.customers(42, n, d, executor);
        data = inputs.data();
        c = inputs.centroidsFromData(k);
        passes = new KMeansPasses(data, kernels, executor, k);
        validate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        passes.close();
        executor.close();
    }

    @Benchmark
    public double lloydPass(Blackhole bh) {
        double inertia = passes.lloyd(c, k);
        bh.consume(passes.counts());
        bh.consume(passes.sums());
        return inertia;
    }

    /** The timed pass against the single-threaded scalar reference on the first blocks. */
    private void validate() {
        passes.lloyd(c, k);
        KMeansKernels reference = BenchData.reference();
        int blocks = Math.min(VALIDATED_BLOCKS, data.blockCount());
        double inertia = 0;
        double referenceInertia = 0;
        long rows = 0;
        long mismatches = 0;
        for (int b = 0; b < blocks; b++) {
            FeatureBatch block = data.block(b);
            int m = block.rows();
            int[] labels = passes.labels(b);
            int[] refLabels = new int[m];
            float[] refDist = new float[m];
            referenceInertia += reference.assignAndAccumulate(block.values(), m, d, null, c, k, refLabels, refDist,
                    new double[k], new double[k * d]);
            for (float dist : passes.distances(b)) {
                inertia += dist;
            }
            for (int i = 0; i < m; i++) {
                if (labels[i] != refLabels[i]) {
                    mismatches++;
                    double mine = BenchData.distance(block, i, c, labels[i]);
                    double best = BenchData.distance(block, i, c, refLabels[i]);
                    BenchData.check(Math.abs(mine - best) <= 1e-4 * (1 + best),
                            "%s block %d row %d: label %d at %.7g, scalar %d at %.7g", backend, b, i,
                            labels[i], mine, refLabels[i], best);
                }
            }
            rows += m;
        }
        BenchData.check(Math.abs(inertia - referenceInertia) <= 1e-5 * referenceInertia,
                "%s inertia %.9g, scalar %.9g", backend, inertia, referenceInertia);
        double total = 0;
        for (double count : passes.counts()) {
            total += count;
        }
        BenchData.check(total == n, "counts add up to %.0f, not %d", total, n);
        System.out.printf(Locale.ROOT, "validated %s against scalar on %,d rows: %d near-tie label differences%n",
                backend, rows, mismatches);
    }
}
