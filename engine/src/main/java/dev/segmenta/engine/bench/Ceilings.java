package dev.segmenta.engine.bench;

import dev.segmenta.engine.data.BlockExecutor;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The two speed limits every kernel is measured against, on this machine:
 * <ul>
 *   <li>{@link ReadBandwidth}: STREAM-like read bandwidth, a vectorised sum over a float array far
 *       larger than the caches (256 MB by default), in 4 MB chunks that the threads claim as they claim
 *       blocks in a Lloyd pass. A Lloyd pass at small k reads its points once, so this bounds it.</li>
 *   <li>{@link FmaPeak}: the FMA ceiling, {@value #FMA_ACCUMULATORS} independent fused multiply-add
 *       chains per thread held in registers (enough to hide the FMA latency on every port), at the
 *       Vector API's preferred width. A Lloyd pass at large k is bounded by it.</li>
 * </ul>
 * Both need the Vector API ({@code --add-modules jdk.incubator.vector}); {@link #vectorUnavailable()}
 * says why not before anything links against it.
 */
public final class Ceilings {

    public static final int DEFAULT_MEGABYTES = 256;
    public static final int FMA_ACCUMULATORS = VectorCeilings.ACCUMULATORS;
    public static final int FMA_STEPS = VectorCeilings.STEPS;
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final int CHUNK_FLOATS = 1 << 20;

    private Ceilings() {
    }

    /** Why the ceilings cannot be measured in this JVM (with the fix), or empty when they can. */
    public static Optional<String> vectorUnavailable() {
        boolean readable = ModuleLayer.boot().findModule(VECTOR_MODULE)
                .map(module -> Ceilings.class.getModule().canRead(module))
                .orElse(false);
        return readable ? Optional.empty()
                : Optional.of("module " + VECTOR_MODULE + " is not in the boot layer; pass --add-modules=" + VECTOR_MODULE);
    }

    /**
     * Flops of one {@link FmaPeak#run()} on {@code threads} threads (an FMA is two), at this JVM's
     * preferred vector width; needs the Vector API ({@link #vectorUnavailable()}).
     */
    public static double fmaFlops(int threads) {
        return 2.0 * threads * FMA_STEPS * FMA_ACCUMULATORS * VectorCeilings.lanes();
    }

    /** A read-bandwidth probe: a seeded array summed by the executor's threads, chunk partials merged in order. */
    public static final class ReadBandwidth {

        private final float[] data;
        private final double[] partial;
        private final BlockExecutor executor;

        public ReadBandwidth(int megabytes, BlockExecutor executor) {
            if (megabytes < 1) {
                throw new IllegalArgumentException("megabytes must be at least 1, got " + megabytes);
            }
            this.data = new float[(int) ((long) megabytes * (1 << 20) / Float.BYTES)];
            SplittableRandom random = new SplittableRandom(46);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextDouble();
            }
            this.partial = new double[(data.length + CHUNK_FLOATS - 1) / CHUNK_FLOATS];
            this.executor = executor;
        }

        /** One pass over the array; returns its sum, so the pass cannot be optimised away. */
        public double run() {
            executor.forEachBlock(partial.length, chunk -> {
                int from = chunk * CHUNK_FLOATS;
                partial[chunk] = VectorCeilings.sum(data, from, Math.min(data.length, from + CHUNK_FLOATS));
            });
            double total = 0;
            for (double p : partial) {
                total += p;
            }
            return total;
        }

        /** The same sum, plainly, to check {@link #run()} against. */
        public double referenceSum() {
            double total = 0;
            for (float v : data) {
                total += v;
            }
            return total;
        }

        /** Bytes read by one {@link #run()}. */
        public long bytes() {
            return (long) data.length * Float.BYTES;
        }
    }

    /** An FMA-throughput probe: {@value #FMA_ACCUMULATORS} independent chains on each of the executor's threads. */
    public static final class FmaPeak {

        private final BlockExecutor executor;
        private final double[] partial;
        private final float a = 0.999f;
        private final float b = 1e-3f;

        public FmaPeak(BlockExecutor executor) {
            this.executor = executor;
            this.partial = new double[executor.threads()];
        }

        /** One round of {@value #FMA_STEPS} steps per chain per thread; returns a sum of the chains. */
        public double run() {
            executor.forEachBlock(partial.length, t -> partial[t] = VectorCeilings.fmaChains(a, b));
            double total = 0;
            for (double p : partial) {
                total += p;
            }
            return total;
        }

        /** Flops of one {@link #run()}. */
        public double flops() {
            return fmaFlops(partial.length);
        }

        public int lanes() {
            return VectorCeilings.lanes();
        }

        public int vectorBits() {
            return VectorCeilings.bits();
        }
    }
}
