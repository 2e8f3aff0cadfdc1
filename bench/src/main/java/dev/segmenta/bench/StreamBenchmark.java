package dev.segmenta.bench;

import dev.segmenta.engine.data.BlockExecutor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The two ceilings the kernels are measured against, on this machine:
 * <ul>
 *   <li>{@link #readSum}: STREAM-like read bandwidth, a sum over a float array far larger than the
 *       caches (256 MB by default), split into 4 MB chunks claimed by the threads as blocks are in a
 *       Lloyd pass. GB/s = {@code megabytes * 2^20 / 1e9 / seconds per op}. A Lloyd pass at small k
 *       reads the points once, so this is its speed limit.</li>
 *   <li>{@link #fmaPeak}: the FMA ceiling, {@value #FMA_ACCUMULATORS} independent {@code FloatVector.fma}
 *       chains per thread held in registers (enough to cover the FMA latency on every port), the
 *       preferred vector width. GFLOP/s = {@code threads * FMA_STEPS * FMA_ACCUMULATORS * lanes * 2 / 1e9
 *       / seconds per op}; the lane count is printed at setup.</li>
 * </ul>
 * Both are upper bounds: {@code AssignBenchmark} at k=8 should approach the first, at k=256 the second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamBenchmark {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHUNK_FLOATS = 1 << 20;
    static final int FMA_ACCUMULATORS = 12;
    static final int FMA_STEPS = 1 << 22;

    /** The array to stream and the pool that streams it. */
    @State(Scope.Benchmark)
    public static class Memory {

        @Param("256")
        int megabytes;

        @Param({"1", "2"})
        int threads;

        float[] data;
        double[] partial;
        BlockExecutor executor;

        @Setup(Level.Trial)
        public void setUp() {
            data = new float[(int) ((long) megabytes * (1 << 20) / Float.BYTES)];
            SplittableRandom random = new SplittableRandom(46);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextDouble();
            }
            partial = new double[(data.length + CHUNK_FLOATS - 1) / CHUNK_FLOATS];
            executor = new BlockExecutor(threads);
            double expected = 0;
            for (float v : data) {
                expected += v;
            }
            double got = sum(this);
            BenchData.check(Math.abs(got - expected) <= 1e-5 * expected, "sum %.9g, expected %.9g", got, expected);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            executor.close();
        }
    }

    /** Threads for the FMA ceiling, and inputs the compiler cannot fold. */
    @State(Scope.Benchmark)
    public static class Cores {

        @Param({"1", "2"})
        int threads;

        float a = 0.999f;
        float b = 1e-3f;
        double[] partial;
        BlockExecutor executor;

        @Setup(Level.Trial)
        public void setUp() {
            partial = new double[threads];
            executor = new BlockExecutor(threads);
            System.out.printf("FMA ceiling: %d-bit vectors, %d float lanes, %d accumulators, %d steps per thread%n",
                    SPECIES.vectorBitSize(), SPECIES.length(), FMA_ACCUMULATORS, FMA_STEPS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            executor.close();
        }
    }

    @Benchmark
    public double readSum(Memory m) {
        return sum(m);
    }

    @Benchmark
    public double fmaPeak(Cores c) {
        c.executor.forEachBlock(c.threads, t -> c.partial[t] = fmaChains(c.a, c.b));
        double total = 0;
        for (double p : c.partial) {
            total += p;
        }
        return total;
    }

    private static double sum(Memory m) {
        float[] data = m.data;
        m.executor.forEachBlock(m.partial.length, chunk -> {
            int from = chunk * CHUNK_FLOATS;
            m.partial[chunk] = sumRange(data, from, Math.min(data.length, from + CHUNK_FLOATS));
        });
        double total = 0;
        for (double p : m.partial) {
            total += p;
        }
        return total;
    }

    /** Four independent vector accumulators, so the adds' latency never limits the loads. */
    private static double sumRange(float[] data, int from, int to) {
        int step = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = from;
        for (int bound = to - 4 * step; i <= bound; i += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, data, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, data, i + step));
            s2 = s2.add(FloatVector.fromArray(SPECIES, data, i + 2 * step));
            s3 = s3.add(FloatVector.fromArray(SPECIES, data, i + 3 * step));
        }
        double total = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            total += data[i];
        }
        return total;
    }

    /** {@value #FMA_ACCUMULATORS} dependency chains of {@code acc = acc * a + b}; a converges, so no overflow. */
    private static double fmaChains(float a, float b) {
        FloatVector va = FloatVector.broadcast(SPECIES, a);
        FloatVector vb = FloatVector.broadcast(SPECIES, b);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 0f);
        FloatVector c1 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c2 = FloatVector.broadcast(SPECIES, 2f);
        FloatVector c3 = FloatVector.broadcast(SPECIES, 3f);
        FloatVector c4 = FloatVector.broadcast(SPECIES, 4f);
        FloatVector c5 = FloatVector.broadcast(SPECIES, 5f);
        FloatVector c6 = FloatVector.broadcast(SPECIES, 6f);
        FloatVector c7 = FloatVector.broadcast(SPECIES, 7f);
        FloatVector c8 = FloatVector.broadcast(SPECIES, 8f);
        FloatVector c9 = FloatVector.broadcast(SPECIES, 9f);
        FloatVector c10 = FloatVector.broadcast(SPECIES, 10f);
        FloatVector c11 = FloatVector.broadcast(SPECIES, 11f);
        for (int s = 0; s < FMA_STEPS; s++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
        }
        FloatVector all = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7))).add(c8.add(c9).add(c10.add(c11)));
        return all.reduceLanes(VectorOperators.ADD);
    }
}
