package dev.segmenta.bench;

import dev.segmenta.engine.bench.Ceilings;
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

import java.util.concurrent.TimeUnit;

/**
 * The machine's two ceilings, measured by the same code as {@code segmenta bench} ({@link Ceilings}):
 * <ul>
 *   <li>{@link #readSum}: STREAM-like read bandwidth over {@code megabytes} (default 256 MB, far larger
 *       than the caches). GB/s = {@code megabytes * 2^20 / 1e9 / seconds per op}.</li>
 *   <li>{@link #fmaPeak}: {@value Ceilings#FMA_ACCUMULATORS} independent FMA chains per thread at the
 *       preferred vector width. GFLOP/s = {@code 2 * threads * FMA_STEPS * FMA_ACCUMULATORS * lanes / 1e9 /
 *       seconds per op}; setup prints the lanes.</li>
 * </ul>
 * {@link JmhReport} divides the kernel suites' rates by these, per thread count.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamBenchmark {

    /** The array to stream and the pool that streams it. */
    @State(Scope.Benchmark)
    public static class Memory {

        @Param("256")
        int megabytes;

        @Param({"1", "2"})
        int threads;

        BlockExecutor executor;
        Ceilings.ReadBandwidth read;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new BlockExecutor(threads);
            read = new Ceilings.ReadBandwidth(megabytes, executor);
            double expected = read.referenceSum();
            double got = read.run();
            BenchData.check(Math.abs(got - expected) <= 1e-5 * expected, "sum %.9g, expected %.9g", got, expected);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            executor.close();
        }
    }

    /** The threads running FMA chains. */
    @State(Scope.Benchmark)
    public static class Cores {

        @Param({"1", "2"})
        int threads;

        BlockExecutor executor;
        Ceilings.FmaPeak fma;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new BlockExecutor(threads);
            fma = new Ceilings.FmaPeak(executor);
            System.out.printf("FMA ceiling: %d-bit vectors, %d float lanes, %d accumulators, %d steps per thread%n",
                    fma.vectorBits(), fma.lanes(), Ceilings.FMA_ACCUMULATORS, Ceilings.FMA_STEPS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            executor.close();
        }
    }

    @Benchmark
    public double readSum(Memory m) {
        return m.read.run();
    }

    @Benchmark
    public double fmaPeak(Cores c) {
        return c.fma.run();
    }
}
