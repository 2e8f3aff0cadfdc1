package dev.segmenta.bench;

import dev.segmenta.engine.bench.BenchInputs;
import dev.segmenta.engine.cluster.KMeansPasses;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
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
import java.util.concurrent.TimeUnit;

/**
 * One k-means++ seeding step over all the data: {@code updateNearestDistance} for one new centre on
 * every block, the block potentials summed in block order, as a fit's seeding runs it
 * ({@link KMeansPasses}). Seeding runs about {@code k * (2 + ln k)} such steps, so at large k it can cost
 * more than the Lloyd passes.
 *
 * <p>Work per step ({@link dev.segmenta.engine.bench.KernelWork#seedingStep}): {@code n*d*4} bytes read
 * plus {@code n*4} read and written (the distances); {@code 3*n*d} flops: always bandwidth-bound. Each
 * invocation takes the next of 64 fixed centres, so the distances keep being lowered rather than
 * rewritten with one value. Full sweep: {@code -p n=100000,1000000,10000000 -p d=4,8,16,32,64}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NearestDistanceBenchmark {

    private static final int CENTRES = 64;

    @Param({"scalar", "simd"})
    String backend;

    @Param("1000000")
    long n;

    @Param({"8", "32"})
    int d;

    @Param("2")
    int threads;

    private BlockExecutor executor;
    private Dataset data;
    private KMeansPasses passes;
    private float[][] centres;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        executor = new BlockExecutor(threads);
        BenchInputs inputs = BenchData.customers(43, n, d, executor);
        data = inputs.data();
        float[] flat = inputs.centroidsFromData(CENTRES);
        centres = new float[CENTRES][];
        for (int j = 0; j < CENTRES; j++) {
            centres[j] = Arrays.copyOfRange(flat, j * d, (j + 1) * d);
        }
        passes = new KMeansPasses(data, BenchData.kernels(backend), executor, 1);
        validate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        passes.close();
        executor.close();
    }

    @Benchmark
    public double seedingStep() {
        float[] centre = centres[next];
        next = (next + 1) % CENTRES;
        return passes.nearestDistance(centre);
    }

    /** Two steps from +∞ against the scalar reference on the first block. */
    private void validate() {
        FeatureBatch block = data.block(0);
        int m = block.rows();
        float[] expected = new float[m];
        Arrays.fill(expected, Float.POSITIVE_INFINITY);
        double referencePotential = 0;
        for (int s = 0; s < 2; s++) {
            referencePotential = BenchData.reference().updateNearestDistance(block.values(), m, d, null, centres[s],
                    expected);
        }
        passes.resetNearestDistance();
        passes.nearestDistance(centres[0]);
        passes.nearestDistance(centres[1]);
        float[] got = passes.distances(0);
        for (int i = 0; i < m; i++) {
            BenchData.check(Math.abs(got[i] - expected[i]) <= 1e-5f * (1 + expected[i]),
                    "%s row %d: %.7g, scalar %.7g", backend, i, got[i], expected[i]);
        }
        BenchData.check(Math.abs(passes.blockPotential(0) - referencePotential) <= 1e-5 * referencePotential,
                "%s potential %.9g, scalar %.9g", backend, passes.blockPotential(0), referencePotential);
        next = 2;
    }
}
