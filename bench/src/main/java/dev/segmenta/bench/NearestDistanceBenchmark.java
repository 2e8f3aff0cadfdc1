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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One k-means++ seeding step over all the data: {@code updateNearestDistance} for one new centre on
 * every block, the block potentials summed in block order (as {@code KMeansWorkspace} does). Seeding
 * runs about {@code k * (2 + ln k)} such steps, so at large k it can cost more than the Lloyd passes.
 *
 * <p>Work per step: {@code n*d*4} bytes read plus {@code n*4} read and written (the distances);
 * {@code 3*n*d} flops. Always bandwidth-bound. Each invocation takes the next of 64 fixed centres,
 * so the distances keep being lowered rather than rewritten with one value.
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
    int n;

    @Param({"8", "32"})
    int d;

    @Param({"1", "2"})
    int threads;

    private KMeansKernels kernels;
    private BlockExecutor executor;
    private float[][] x;
    private float[][] centres;
    private float[][] minDist;
    private double[] potential;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = BenchData.kernels(backend);
        executor = new BlockExecutor(threads);
        x = BenchData.blobs(43, n, d, executor);
        float[] flat = BenchData.centroidsFromData(x, n, d, CENTRES);
        centres = new float[CENTRES][];
        for (int j = 0; j < CENTRES; j++) {
            centres[j] = Arrays.copyOfRange(flat, j * d, (j + 1) * d);
        }
        minDist = new float[x.length][];
        for (int b = 0; b < x.length; b++) {
            minDist[b] = new float[BenchData.rows(n, b)];
            Arrays.fill(minDist[b], Float.POSITIVE_INFINITY);
        }
        potential = new double[x.length];
        validate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public double seedingStep() {
        float[] centre = centres[next];
        next = (next + 1) % CENTRES;
        return step(centre);
    }

    private double step(float[] centre) {
        executor.forEachBlock(x.length, b -> potential[b] = kernels.updateNearestDistance(x[b], minDist[b].length, d,
                null, centre, minDist[b]));
        double total = 0;
        for (double p : potential) {
            total += p;
        }
        return total;
    }

    /** Two steps from +∞ against the scalar reference on the first block. */
    private void validate() {
        KMeansKernels reference = BenchData.reference();
        int m = minDist[0].length;
        float[] expected = new float[m];
        Arrays.fill(expected, Float.POSITIVE_INFINITY);
        double referencePotential = 0;
        for (int s = 0; s < 2; s++) {
            referencePotential = reference.updateNearestDistance(x[0], m, d, null, centres[s], expected);
        }
        step(centres[0]);
        step(centres[1]);
        for (int i = 0; i < m; i++) {
            BenchData.check(Math.abs(minDist[0][i] - expected[i]) <= 1e-5f * (1 + expected[i]),
                    "%s row %d: %.7g, scalar %.7g", backend, i, minDist[0][i], expected[i]);
        }
        BenchData.check(Math.abs(potential[0] - referencePotential) <= 1e-5 * referencePotential,
                "%s potential %.9g, scalar %.9g", backend, potential[0], referencePotential);
        next = 2;
    }
}
