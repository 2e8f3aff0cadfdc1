package dev.segmenta.kernels.tornado;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The pairwise-distance kernel ({@link DeviceKernels#pairwise}) compiled for blocks of up to
 * {@code capA} by {@code capB} points of {@code d} features; both blocks move in and the distances out
 * on every call.
 */
final class PairwiseGraph implements AutoCloseable {

    private static final AtomicInteger GRAPHS = new AtomicInteger();

    final int d;
    final int capA;
    final int capB;
    private final TornadoDevice device;
    private final IntArray shape = new IntArray(2);
    private final FloatArray xa;
    private final FloatArray xb;
    private final FloatArray out;
    private final TornadoExecutionPlan plan;

    PairwiseGraph(TornadoDevice device, int d, int capA, int capB) {
        this.device = device;
        this.d = d;
        this.capA = capA;
        this.capB = capB;
        this.xa = new FloatArray(Math.toIntExact((long) capA * d));
        this.xb = new FloatArray(Math.toIntExact((long) capB * d));
        this.out = new FloatArray(Math.toIntExact((long) capA * capB));
        TaskGraph graph = new TaskGraph("segmentaPairwise" + GRAPHS.incrementAndGet())
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, shape, xa, xb)
                .task("pairwise", DeviceKernels::pairwise, shape, xa, xb, out, capA, capB, d)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        plan = Plans.compile(device, graph, null, "the pairwise-distance kernel");
    }

    boolean fits(int dimensions, int na, int nb) {
        return dimensions == d && na <= capA && nb <= capB;
    }

    /**
     * One tile of {@link dev.segmenta.kernels.KMeansKernels#pairwiseSquaredDistances}: rows
     * {@code [a0, a0 + ca)} of the column-major {@code a} ({@code na} rows) against rows
     * {@code [b0, b0 + cb)} of {@code b} ({@code nb} rows), into {@code target[(a0 + r) * nb + b0 + q]};
     * the tile must {@link #fits fit}.
     */
    void run(float[] a, int na, int a0, int ca, float[] b, int nb, int b0, int cb, float[] target) {
        shape.set(0, ca);
        shape.set(1, cb);
        for (int f = 0; f < d; f++) {
            MemorySegment.copy(a, f * na + a0, xa.getSegment(), JAVA_FLOAT, 4L * f * capA, ca);
            MemorySegment.copy(b, f * nb + b0, xb.getSegment(), JAVA_FLOAT, 4L * f * capB, cb);
        }
        try {
            plan.execute();
        } catch (RuntimeException | Error e) {
            throw TornadoFailure.of(device, "run the pairwise-distance kernel", e);
        }
        for (int r = 0; r < ca; r++) {
            MemorySegment.copy(out.getSegment(), JAVA_FLOAT, 4L * r * capB, target, (a0 + r) * nb + b0, cb);
        }
    }

    @Override
    public void close() {
        Plans.close(device, plan);
    }
}
