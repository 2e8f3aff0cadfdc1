package dev.segmenta.bench;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One pairwise block of squared distances, {@code 1024 x 1024} points (silhouette, DBSCAN and
 * hierarchical clustering tile their all-pairs work into such blocks). Single-threaded: callers
 * parallelise over blocks.
 *
 * <p>Work per block ({@link dev.segmenta.engine.bench.KernelWork#pairwiseBlock}): {@code 3 * 1024 * 1024 * d}
 * flops (25 MFLOP at d=8, 101 MFLOP at d=32); inputs ({@code 2 * 1024 * d * 4} bytes) stay in cache and
 * the 4 MB output is written once, so the kernel should run near the FMA ceiling of one core
 * ({@link StreamBenchmark#fmaPeak} at 1 thread). Full sweep: {@code -p d=4,8,16,32,64}.
 * The backend's output is checked against the scalar reference before timing. {@link #distanceSums} and
 * {@link #squaredBlockThenRoots} compare the silhouette's fused kernel with the two-step alternative.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PairwiseBenchmark {

    static final int ROWS = 1024;

    @Param({"scalar", "simd"})
    String backend;

    @Param({"8", "32"})
    int d;

    private KMeansKernels kernels;
    private float[] xa;
    private float[] xb;
    private float[] out;
    private double[] sums;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        try (BlockExecutor oneThread = new BlockExecutor(1)) {
            xa = BenchData.customers(44, ROWS, d, oneThread).data().block(0).values();
            xb = BenchData.customers(45, ROWS, d, oneThread).data().block(0).values();
        }
        out = new float[ROWS * ROWS];
        sums = new double[ROWS];
        validate();
    }

    @Benchmark
    public float[] pairwiseBlock() {
        kernels.pairwiseSquaredDistances(xa, ROWS, xb, ROWS, d, out);
        return out;
    }

    /** The silhouette's inner loop as one kernel: distances, their roots and the row sums in one pass. */
    @Benchmark
    public double[] distanceSums() {
        Arrays.fill(sums, 0);
        kernels.pairwiseDistanceSums(xa, ROWS, xb, ROWS, d, sums);
        return sums;
    }

    /** The same sums from the squared-distance block, then a root-and-sum loop over it (the fused kernel's alternative). */
    @Benchmark
    public double[] squaredBlockThenRoots() {
        kernels.pairwiseSquaredDistances(xa, ROWS, xb, ROWS, d, out);
        for (int a = 0; a < ROWS; a++) {
            double s0 = 0;
            double s1 = 0;
            for (int b = a * ROWS, end = b + ROWS; b < end; b += 2) {
                s0 += Math.sqrt(out[b]);
                s1 += Math.sqrt(out[b + 1]);
            }
            sums[a] = s0 + s1;
        }
        return sums;
    }

    private void validate() {
        float[] expected = new float[ROWS * ROWS];
        BenchData.reference().pairwiseSquaredDistances(xa, ROWS, xb, ROWS, d, expected);
        pairwiseBlock();
        for (int t = 0; t < expected.length; t++) {
            BenchData.check(Math.abs(out[t] - expected[t]) <= 1e-5f * d * (1 + expected[t]),
                    "%s pair %d: %.7g, scalar %.7g", backend, t, out[t], expected[t]);
        }
        double[] want = new double[ROWS];
        BenchData.reference().pairwiseDistanceSums(xa, ROWS, xb, ROWS, d, want);
        distanceSums();
        for (int a = 0; a < ROWS; a++) {
            BenchData.check(Math.abs(sums[a] - want[a]) <= 1e-5 * want[a], "%s row %d: %.9g, scalar %.9g", backend, a,
                    sums[a], want[a]);
        }
    }
}
