package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.PointBlocks;
import dev.segmenta.kernels.ResidentDataset;

import java.util.Locale;

import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * A dataset on a TornadoVM device. Block {@code b} of the {@link PointBlocks} occupies slot {@code b}
 * of a {@link DeviceGraph}; every pass writes one result row per slot, which becomes entry {@code b}
 * of the caller's per-block arrays, so the caller merges exactly as it merges host blocks.
 *
 * <p>When the points and their per-point state fit in the device's memory budget
 * ({@link DeviceMemory}), they are uploaded once and stay: a pass moves only the centres in and the
 * per-block results out. Otherwise the blocks are streamed through a smaller graph, a slab of slots
 * at a time, on every pass, and the per-point state lives on the host between passes.
 */
final class TornadoResidentDataset implements ResidentDataset {

    private enum PointState { NONE, ASSIGNMENT, NEAREST }

    private final TornadoDevice device;
    private final PointBlocks points;
    private final int d;
    private final int stride;
    private final int slabSlots;
    private final boolean resident;
    /** Streaming only: every point's label and distance between passes. */
    private final int[][] hostLabels;
    private final float[][] hostDist;
    private DeviceGraph graph;
    private long compileNanos;
    private boolean resetNearest = true;
    private PointState state = PointState.NONE;

    private TornadoResidentDataset(TornadoDevice device, PointBlocks points, int k, int slabSlots, boolean resident) {
        this.device = device;
        this.points = points;
        this.d = points.d();
        this.stride = Math.max(1, points.maxRows());
        this.slabSlots = slabSlots;
        this.resident = resident;
        int blocks = points.blockCount();
        this.hostLabels = resident ? null : new int[blocks][];
        this.hostDist = resident ? null : new float[blocks][];
        if (!resident) {
            for (int b = 0; b < blocks; b++) {
                hostLabels[b] = new int[points.rows()[b]];
                hostDist[b] = new float[points.rows()[b]];
            }
        }
        build(k);
    }

    /**
     * Places {@code points} on {@code device}: resident when they fit its memory budget, streamed
     * otherwise.
     *
     * @param maxCentroids the {@code k} of the assignment passes (another one later costs a recompile)
     */
    static TornadoResidentDataset open(TornadoDevice device, PointBlocks points, int maxCentroids, DeviceMemory memory) {
        int stride = Math.max(1, points.maxRows());
        int blocks = points.blockCount();
        boolean weighted = points.weights() != null;
        int kCapacity = Math.max(1, maxCentroids);
        int slots = memory.slotsThatFit(points.d(), stride, kCapacity, weighted);
        if (slots < 1) {
            throw new dev.segmenta.kernels.BackendUnavailableException(TornadoKernelProvider.NAME, "one block of "
                    + stride + " customers does not fit the memory TornadoVM may use on " + device.getDeviceName()
                    + " (" + memory + "); raise it with SEGMENTA_JAVA_OPTS=-Dtornado.device.memory=<size>GB");
        }
        return slots >= blocks
                ? new TornadoResidentDataset(device, points, kCapacity, blocks, true)
                : new TornadoResidentDataset(device, points, kCapacity, slots, false);
    }

    /** A graph whose assignment passes use exactly {@code k} centroids (fixed at compile time: several times faster). */
    private void build(int k) {
        if (graph != null) {
            graph.close();
        }
        graph = new DeviceGraph(device, d, stride, slabSlots, k, k, points.weights() != null, resident);
        compileNanos += graph.compileNanos();
        if (resident) {
            for (int b = 0; b < points.blockCount(); b++) {
                graph.load(b, points.values().get(b), points.rows()[b], 0, points.rows()[b], points.weights(b), null);
            }
        }
        state = PointState.NONE;
    }

    @Override
    public void assignAndAccumulate(float[] c, int k, double[][] blockCounts, double[][] blockSums, double[] blockInertia) {
        compiledFor(k);
        graph.centres(c, 0, k);
        passes(DeviceKernels.ACCUMULATE, k, 0, false, (slot, b) -> {
            for (int j = 0; j < k; j++) {
                int row = j * (d + 1);
                blockCounts[b][j] = graph.result(slot, row + d);
                for (int f = 0; f < d; f++) {
                    blockSums[b][j * d + f] = graph.result(slot, row + f);
                }
            }
            blockInertia[b] = graph.result(slot, graph.width - 1);
        });
        state = PointState.ASSIGNMENT;
    }

    @Override
    public void assign(float[] c, int k, double[] blockInertia) {
        compiledFor(k);
        graph.centres(c, 0, k);
        passes(DeviceKernels.ASSIGN, k, 0, false, (slot, b) -> blockInertia[b] = graph.result(slot, 0));
        state = PointState.ASSIGNMENT;
    }

    @Override
    public void copyAssignments(int[][] labels, float[][] distances) {
        requireState(PointState.ASSIGNMENT, "an assignment pass");
        copyPointState(labels, distances);
    }

    @Override
    public void resetNearestDistance() {
        resetNearest = true;
    }

    @Override
    public void updateNearestDistance(float[] centre, double[] blockPotential) {
        graph.centres(centre, 0, 1);
        passes(DeviceKernels.NEAREST, 0, 0, resetNearest, (slot, b) -> blockPotential[b] = graph.result(slot, 0));
        resetNearest = false;
        state = PointState.NEAREST;
    }

    @Override
    public void candidatePotentials(float[] candidates, int count, double[][] potential) {
        requireState(PointState.NEAREST, "a nearest-distance update");
        for (int first = 0; first < count; first += graph.lanes) {
            int trials = Math.min(graph.lanes, count - first);
            int offset = first;
            graph.centres(candidates, first, trials);
            passes(DeviceKernels.CANDIDATES, 0, trials, false, (slot, b) -> {
                for (int t = 0; t < trials; t++) {
                    potential[b][offset + t] = graph.result(slot, t);
                }
            });
        }
    }

    @Override
    public void copyNearestDistances(float[][] distances) {
        requireState(PointState.NEAREST, "a nearest-distance update");
        copyPointState(null, distances);
    }

    @Override
    public String description() {
        long rows = points.totalRows();
        double megabytes = rows * (4.0 * d) / 1e6;
        String where = resident
                ? String.format(Locale.ROOT, "resident on %s (%.0f MB of points sent once)", device.getDeviceName(), megabytes)
                : String.format(Locale.ROOT, "streamed through %s in slabs of %d blocks on every pass (%.0f MB of points"
                        + " exceed its memory budget)", device.getDeviceName(), slabSlots, megabytes);
        return String.format(Locale.ROOT, "%,d customers %s; kernels JIT-compiled in %.2f s", rows, where, compileNanos / 1e9);
    }

    @Override
    public long compileNanos() {
        return compileNanos;
    }

    @Override
    public void close() {
        graph.close();
    }

    /** Result rows of one pass, slot by slot, as they belong to block {@code b}. */
    @FunctionalInterface
    private interface SlotResults {
        void read(int slot, int block);
    }

    /**
     * Runs one pass over every block: once when resident, slab by slab when streaming (each slab's
     * points, weights and, for the passes that read them, nearest distances moved in, its per-point
     * results moved out into the host copies).
     */
    private void passes(int mode, int k, int trials, boolean reset, SlotResults results) {
        int blocks = points.blockCount();
        if (resident) {
            graph.run(mode, k, trials, reset);
            for (int b = 0; b < blocks; b++) {
                results.read(b, b);
            }
            return;
        }
        boolean readsNearest = (mode == DeviceKernels.NEAREST && !reset) || mode == DeviceKernels.CANDIDATES;
        boolean writesPoints = mode != DeviceKernels.CANDIDATES;
        for (int first = 0; first < blocks; first += slabSlots) {
            int count = Math.min(slabSlots, blocks - first);
            for (int s = 0; s < slabSlots; s++) {
                int b = first + s;
                if (s < count) {
                    int n = points.rows()[b];
                    graph.load(s, points.values().get(b), n, 0, n, points.weights(b), readsNearest ? hostDist[b] : null);
                } else {
                    graph.clear(s);
                }
            }
            graph.run(mode, k, trials, reset);
            for (int s = 0; s < count; s++) {
                int b = first + s;
                results.read(s, b);
                if (writesPoints) {
                    graph.readLabels(s, points.rows()[b], hostLabels[b], 0);
                    graph.readDistances(s, points.rows()[b], hostDist[b], 0);
                }
            }
        }
    }

    private void copyPointState(int[][] labels, float[][] distances) {
        if (resident) {
            graph.fetchPointState();
        }
        for (int b = 0; b < points.blockCount(); b++) {
            int n = points.rows()[b];
            if (resident) {
                if (labels != null) {
                    graph.readLabels(b, n, labels[b], 0);
                }
                graph.readDistances(b, n, distances[b], 0);
            } else {
                if (labels != null) {
                    System.arraycopy(hostLabels[b], 0, labels[b], 0, n);
                }
                System.arraycopy(hostDist[b], 0, distances[b], 0, n);
            }
        }
    }

    /** Recompiles for another {@code k} (the kernels are specialised for one). */
    private void compiledFor(int k) {
        if (k != graph.fixedK) {
            build(k);
        }
    }

    private void requireState(PointState wanted, String pass) {
        if (state != wanted) {
            throw new IllegalStateException("no per-point state of " + pass + " on the device: the last pass was " + state);
        }
    }
}
