package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.PointBlocks;
import dev.segmenta.kernels.ResidentDataset;
import dev.segmenta.kernels.ScalarKernels;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * The kernel contract on one TornadoVM device.
 *
 * <p>A fit uploads its dataset ({@link #upload}) and then moves only centroids and per-block sums per
 * pass. The per-block methods serve everything else (prediction, mini-batches, out-of-core passes,
 * small datasets): each call sends its block through a streaming graph compiled once per feature
 * count (and again when {@code k} outgrows it), {@value #CALL_ROWS} rows at a time, and waits for the
 * result. Calls from several threads are serialised: the device runs one at a time anyway.
 */
final class TornadoKernels implements KMeansKernels {

    /** Rows one per-block call moves per execution: the engine's block size. */
    static final int CALL_ROWS = 16_384;

    /** Below this many customers the upload and a graph of their own cost more than per-block calls save. */
    static final long MIN_RESIDENT_ROWS = 2L * CALL_ROWS;

    private static final int MIN_K_CAPACITY = 16;
    private static final int PAIRWISE_TILE = 1024;

    private final TornadoDevice device;
    private final String description;
    private final Map<Integer, DeviceGraph> calls = new HashMap<>();
    private final Map<Integer, PairwiseGraph> pairs = new HashMap<>();
    /** {@link #reassign}'s copy of one call's labels before the pass. */
    private final int[] previousLabels = new int[CALL_ROWS];

    TornadoKernels(TornadoDevice device, String description) {
        this.device = device;
        this.description = description;
    }

    /** The device these kernels run on. */
    TornadoDevice device() {
        return device;
    }

    @Override
    public String name() {
        return TornadoKernelProvider.NAME;
    }

    @Override
    public String toString() {
        return description;
    }

    @Override
    public boolean benefitsFromJvmWarmup() {
        return false;
    }

    @Override
    public Optional<ResidentDataset> upload(PointBlocks points, int maxCentroids) {
        if (points.totalRows() < MIN_RESIDENT_ROWS) {
            return Optional.empty();
        }
        return Optional.of(TornadoResidentDataset.open(device, points, maxCentroids, DeviceMemory.of(device)));
    }

    @Override
    public synchronized double assignAndAccumulate(float[] x, int n, int d, float[] weights, float[] c, int k,
                                                   int[] labels, float[] minDist, double[] counts, double[] sums) {
        DeviceGraph g = calls(d, k);
        g.centres(c, 0, k);
        double inertia = 0;
        for (int from = 0; from < n; from += CALL_ROWS) {
            int rows = Math.min(CALL_ROWS, n - from);
            g.load(0, x, n, from, rows, weights, null);
            g.run(DeviceKernels.ACCUMULATE, k, 0, false);
            for (int j = 0; j < k; j++) {
                int row = j * (d + 1);
                counts[j] += g.result(0, row + d);
                for (int f = 0; f < d; f++) {
                    sums[j * d + f] += g.result(0, row + f);
                }
            }
            inertia += g.result(0, g.width - 1);
            g.readLabels(0, rows, labels, from);
            g.readDistances(0, rows, minDist, from);
        }
        return inertia;
    }

    /**
     * The device assigns; the host then moves each point whose label changed from its old segment's
     * totals to the new one's ({@link ScalarKernels#move}), as the contract asks, and the inertia is the
     * device's per-block sum.
     */
    @Override
    public synchronized double reassign(float[] x, int n, int d, float[] weights, float[] c, int k, int[] labels,
                                        float[] minDist, double[] counts, double[] sums) {
        DeviceGraph g = calls(d, k);
        g.centres(c, 0, k);
        double inertia = 0;
        for (int from = 0; from < n; from += CALL_ROWS) {
            int rows = Math.min(CALL_ROWS, n - from);
            System.arraycopy(labels, from, previousLabels, 0, rows);
            g.load(0, x, n, from, rows, weights, null);
            g.run(DeviceKernels.ASSIGN, k, 0, false);
            g.readLabels(0, rows, labels, from);
            g.readDistances(0, rows, minDist, from);
            for (int i = 0; i < rows; i++) {
                if (labels[from + i] != previousLabels[i]) {
                    ScalarKernels.move(x, n, d, weights, from + i, previousLabels[i], labels[from + i], counts, sums);
                }
            }
            inertia += g.result(0, 0);
        }
        return inertia;
    }

    @Override
    public synchronized void candidatePotentials(float[] x, int n, int d, float[] weights, float[] candidates, int t,
                                                 float[] minDist, double[] potentials) {
        DeviceGraph g = calls(d, 1);
        Arrays.fill(potentials, 0, t, 0);
        for (int first = 0; first < t; first += g.lanes) {
            int trials = Math.min(g.lanes, t - first);
            g.centres(candidates, first, trials);
            for (int from = 0; from < n; from += CALL_ROWS) {
                g.load(0, x, n, from, Math.min(CALL_ROWS, n - from), weights, minDist);
                g.run(DeviceKernels.CANDIDATES, 0, trials, false);
                for (int q = 0; q < trials; q++) {
                    potentials[first + q] += g.result(0, q);
                }
            }
        }
    }

    @Override
    public synchronized void assign(float[] x, int n, int d, float[] c, int k, int[] labels, float[] minDist) {
        DeviceGraph g = calls(d, k);
        g.centres(c, 0, k);
        for (int from = 0; from < n; from += CALL_ROWS) {
            int rows = Math.min(CALL_ROWS, n - from);
            g.load(0, x, n, from, rows, null, null);
            g.run(DeviceKernels.ASSIGN, k, 0, false);
            g.readLabels(0, rows, labels, from);
            g.readDistances(0, rows, minDist, from);
        }
    }

    @Override
    public synchronized double updateNearestDistance(float[] x, int n, int d, float[] weights, float[] centre,
                                                     float[] minDist) {
        DeviceGraph g = calls(d, 1);
        g.centres(centre, 0, 1);
        double total = 0;
        for (int from = 0; from < n; from += CALL_ROWS) {
            int rows = Math.min(CALL_ROWS, n - from);
            g.load(0, x, n, from, rows, weights, minDist);
            g.run(DeviceKernels.NEAREST, 0, 0, false);
            total += g.result(0, 0);
            g.readDistances(0, rows, minDist, from);
        }
        return total;
    }

    @Override
    public synchronized void pairwiseSquaredDistances(float[] xa, int na, float[] xb, int nb, int d, float[] out) {
        if (na == 0 || nb == 0) {
            return;
        }
        int tileA = Math.min(na, PAIRWISE_TILE);
        int tileB = Math.min(nb, PAIRWISE_TILE);
        PairwiseGraph graph = pairs.get(d);
        if (graph == null || !graph.fits(d, tileA, tileB)) {
            if (graph != null) {
                tileA = Math.max(tileA, graph.capA);
                tileB = Math.max(tileB, graph.capB);
                graph.close();
            }
            graph = new PairwiseGraph(device, d, tileA, tileB);
            pairs.put(d, graph);
        }
        int stepA = Math.min(na, graph.capA);
        int stepB = Math.min(nb, graph.capB);
        for (int a = 0; a < na; a += stepA) {
            for (int b = 0; b < nb; b += stepB) {
                graph.run(xa, na, a, Math.min(stepA, na - a), xb, nb, b, Math.min(stepB, nb - b), out);
            }
        }
    }

    /**
     * The per-block graph for {@code d} features and at least {@code k} centroids; one is kept per
     * feature count, and replaced by one with room for at least twice the centroids when {@code k} outgrows it.
     */
    private DeviceGraph calls(int d, int k) {
        DeviceGraph graph = calls.get(d);
        if (graph == null || graph.kCapacity < k) {
            int capacity = Math.max(MIN_K_CAPACITY, graph == null ? k : Math.max(k, 2 * graph.kCapacity));
            if (graph != null) {
                graph.close();
            }
            graph = new DeviceGraph(device, d, CALL_ROWS, 1, capacity, 0, true, false);
            calls.put(d, graph);
        }
        return graph;
    }
}
