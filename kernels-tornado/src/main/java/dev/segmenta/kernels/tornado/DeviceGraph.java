package dev.segmenta.kernels.tornado;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.segmenta.kernels.BackendUnavailableException;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * One compiled task graph of {@link DeviceKernels} over {@code slots} block slots of {@code stride}
 * rows, with its device buffers.
 *
 * <p>Resident graphs send the points once (FIRST_EXECUTION) and keep every per-point array on the
 * device, fetched only on request; each execution moves just the control word and the centres in and
 * the per-block results out. Streaming graphs move their slots' points and per-point arrays in and out
 * on every execution (EVERY_EXECUTION), for data that is larger than the device or arrives a block
 * at a time.
 *
 * <p>The kernels are compiled when the graph is made, so that {@link #compileNanos} is the JIT cost
 * alone and the first execution costs what later ones do (plus, resident, the one upload).
 */
final class DeviceGraph implements AutoCloseable {

    private static final AtomicInteger GRAPHS = new AtomicInteger();

    /** Largest work-group size of the per-point pass. */
    private static final int POINT_GROUP = 256;

    final int d;
    final int stride;
    final int slots;
    final int kCapacity;
    /** The {@code k} the per-point pass was compiled for, or 0 when it reads {@code k} at run time. */
    final int fixedK;
    /** Work items per slot in the block pass, and so the most candidates one execution can try. */
    final int lanes;

    /** Results per slot: {@code kCapacity * (d + 1)} sums and counts, then the inertia. */
    final int width;
    final boolean resident;
    private final boolean weighted;

    private final TornadoDevice device;
    private final FloatArray x;
    private final FloatArray weights;
    private final IntArray rows;
    private final FloatArray centres;
    private final IntArray control;
    private final IntArray labels;
    private final FloatArray dist;
    private final DoubleArray out;
    private final TornadoExecutionPlan plan;
    private TornadoExecutionResult last;
    private final long compileNanos;

    /**
     * Builds the graph and compiles its kernels for {@code device}.
     *
     * @param fixedK   {@code k} fixed at compile time (every assignment pass then uses exactly that many
     *                 centroids), or 0 to read it at run time, up to {@code kCapacity}
     * @param weighted whether {@link #load} may be given weights (a buffer per point), or all points weigh 1
     * @throws BackendUnavailableException if TornadoVM cannot compile the kernels for the device
     */
    DeviceGraph(TornadoDevice device, int d, int stride, int slots, int kCapacity, int fixedK, boolean weighted,
                boolean resident) {
        this.device = device;
        this.d = d;
        this.stride = stride;
        this.slots = slots;
        this.kCapacity = kCapacity;
        this.fixedK = fixedK;
        this.lanes = Math.max(d + 2, 4);
        this.width = Math.max(kCapacity * (d + 1) + 1, lanes);
        this.resident = resident;
        int points = Math.toIntExact((long) slots * stride);
        this.x = new FloatArray(Math.toIntExact((long) points * d));
        this.weights = new FloatArray(weighted ? points : 1);
        this.rows = new IntArray(slots);
        this.centres = new FloatArray(Math.max(kCapacity, lanes) * d);
        this.control = new IntArray(DeviceKernels.CONTROL_SIZE);
        this.labels = new IntArray(points);
        this.dist = new FloatArray(points);
        this.out = new DoubleArray(Math.toIntExact((long) slots * width));
        this.weighted = weighted;

        String name = "segmenta" + GRAPHS.incrementAndGet();
        TaskGraph graph = new TaskGraph(name)
                .transferToDevice(resident ? DataTransferMode.FIRST_EXECUTION : DataTransferMode.EVERY_EXECUTION,
                        x, weights, rows)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, control, centres);
        if (!resident) {
            graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, dist);
        }
        graph.task("points", DeviceKernels::pointPass, new KernelContext(), control, x, centres, labels, dist,
                        stride, d, fixedK)
                .task("blocks", DeviceKernels::blockPass, control, x, weights, rows, centres, labels, dist, out,
                        slots, lanes, stride, d, width)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out)
                .transferToHost(resident ? DataTransferMode.UNDER_DEMAND : DataTransferMode.EVERY_EXECUTION,
                        labels, dist);
        long start = System.nanoTime();
        WorkerGrid1D pointGrid = new WorkerGrid1D(points);
        pointGrid.setLocalWork(pointGroup(points, device.getDeviceMaxWorkgroupDimensions()[0]), 1, 1);
        plan = Plans.compile(device, graph, new GridScheduler(name + ".points", pointGrid), "the k-means kernels");
        compileNanos = System.nanoTime() - start;
    }

    /**
     * The work-group size of the per-point pass: the largest power of two up to {@value #POINT_GROUP} (and
     * the device's limit) that divides the point count, since the pass has no bounds check to branch on.
     */
    static int pointGroup(int points, long deviceMax) {
        int group = (int) Math.min(POINT_GROUP, deviceMax);
        while (points % group != 0) {
            group /= 2;
        }
        return group;
    }

    /** How many bytes of device memory a graph of this shape needs. */
    static long deviceBytes(int d, int stride, int slots, int kCapacity, boolean weighted) {
        long points = (long) slots * stride;
        long width = Math.max(kCapacity * (d + 1L) + 1, Math.max(d + 2, 4));
        return points * (4L * d + 4 + 4 + (weighted ? 4 : 0)) + slots * (4 + 8 * width) + 4L * kCapacity * d;
    }

    long compileNanos() {
        return compileNanos;
    }

    /**
     * Copies rows {@code [from, from + count)} of a column-major block of {@code n} rows (and their
     * weights and, for seeding, nearest distances) into slot {@code slot}. All slots of one pass are
     * weighted or none is: the last load decides.
     */
    void load(int slot, float[] values, int n, int from, int count, float[] pointWeights, float[] nearest) {
        if (pointWeights != null && !weighted) {
            throw new IllegalArgumentException("this graph was built for unweighted points");
        }
        control.set(DeviceKernels.WEIGHTED, pointWeights != null ? 1 : 0);
        MemorySegment xs = x.getSegment();
        for (int f = 0; f < d; f++) {
            MemorySegment.copy(values, f * n + from, xs, JAVA_FLOAT, 4L * ((long) (slot * d + f) * stride), count);
        }
        if (pointWeights != null) {
            MemorySegment.copy(pointWeights, from, weights.getSegment(), JAVA_FLOAT, 4L * slot * stride, count);
        }
        if (nearest != null) {
            MemorySegment.copy(nearest, from, dist.getSegment(), JAVA_FLOAT, 4L * slot * stride, count);
        }
        rows.set(slot, count);
    }

    /** Marks slot {@code slot} empty, so that no pass reads it. */
    void clear(int slot) {
        rows.set(slot, 0);
    }

    /** Sets centres {@code [0, count)} from row-major {@code c}, starting at row {@code first}. */
    void centres(float[] c, int first, int count) {
        MemorySegment.copy(c, first * d, centres.getSegment(), JAVA_FLOAT, 0, count * d);
    }

    /**
     * Runs one pass.
     *
     * @param mode  one of the {@link DeviceKernels} modes
     * @param k     centroids for {@code ASSIGN}/{@code ACCUMULATE}: {@link #fixedK} when that is set, else at most {@link #kCapacity}
     * @param reset whether {@code NEAREST} starts from +∞
     * @throws BackendUnavailableException if the device fails to run the kernels
     */
    void run(int mode, int k, int trials, boolean reset) {
        if (fixedK > 0 && (mode == DeviceKernels.ASSIGN || mode == DeviceKernels.ACCUMULATE) && k != fixedK) {
            throw new IllegalArgumentException("this graph was compiled for k=" + fixedK + ", not " + k);
        }
        control.set(DeviceKernels.MODE, mode);
        control.set(DeviceKernels.K, k);
        control.set(DeviceKernels.TRIALS, trials);
        control.set(DeviceKernels.RESET, reset ? 1 : 0);
        try {
            last = plan.execute();
        } catch (RuntimeException | Error e) {
            throw TornadoFailure.of(device, "run the k-means kernels", e);
        }
    }

    /** Result {@code index} of slot {@code slot} from the last pass. */
    double result(int slot, int index) {
        return out.get(slot * width + index);
    }

    /** Brings the per-point arrays of a resident graph to the host (streaming graphs have them after every pass). */
    void fetchPointState() {
        if (resident && last != null) {
            try {
                last.transferToHost(labels, dist);
            } catch (RuntimeException | Error e) {
                throw TornadoFailure.of(device, "copy the assignments back", e);
            }
        }
    }

    /** Copies slot {@code slot}'s first {@code count} labels into {@code target[to ...]}. */
    void readLabels(int slot, int count, int[] target, int to) {
        MemorySegment.copy(labels.getSegment(), JAVA_INT, 4L * slot * stride, target, to, count);
    }

    /** Copies slot {@code slot}'s first {@code count} distances into {@code target[to ...]}. */
    void readDistances(int slot, int count, float[] target, int to) {
        MemorySegment.copy(dist.getSegment(), JAVA_FLOAT, 4L * slot * stride, target, to, count);
    }

    /** Frees the device buffers. */
    @Override
    public void close() {
        Plans.close(device, plan);
    }
}
