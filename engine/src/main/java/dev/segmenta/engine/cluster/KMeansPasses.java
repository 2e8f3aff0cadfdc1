package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.kernels.KMeansKernels;

/**
 * The full-data passes a k-means fit is made of, one at a time, exactly as the fit runs them (same
 * blocks, executor, kernels and block-order merge): for benchmarks and tools that time one pass
 * alone ({@code segmenta bench}, the JMH suites).
 *
 * <p>Memory: as a fit's workspace, 8 bytes per customer plus the per-block partial sums (and, on a
 * backend that holds the data itself, the device's copy of it: close the passes to free it).
 */
public final class KMeansPasses implements AutoCloseable {

    private final KMeansWorkspace ws;
    private final double[] blockPotential;

    /** @param k the most centroids a pass will use (sizes a device backend's buffers) */
    public KMeansPasses(Dataset data, KMeansKernels kernels, BlockExecutor executor, int k) {
        this.ws = new KMeansWorkspace(data, kernels, executor, k);
        this.blockPotential = new double[data.blockCount()];
    }

    /**
     * One full Lloyd pass ({@code assignAndAccumulate} on every block): assign every customer to its
     * nearest of {@code k} centroids and sum the clusters afresh, as a fit's first iteration does. A
     * fit's later iterations move only the customers that change segment ({@code reassign}); whole fits
     * (FitBenchmark, the peer comparison) measure that mix.
     */
    public double lloyd(float[] centroids, int k) {
        ws.forgetPartials();
        return ws.lloydPass(centroids, k);
    }

    /** Points per cluster after the last {@link #lloyd} pass (weighted). */
    public double[] counts() {
        return ws.counts;
    }

    /** Per-cluster feature sums after the last {@link #lloyd} pass, {@code k * d} row-major. */
    public double[] sums() {
        return ws.sums;
    }

    /** Labels of block {@code b} from the last pass. */
    public int[] labels(int b) {
        return ws.labels()[b];
    }

    /** Squared distances of block {@code b}'s customers to their nearest centre, from the last pass. */
    public float[] distances(int b) {
        return ws.minDist()[b];
    }

    /** Starts a k-means++ seeding: every customer's nearest distance becomes +∞. */
    public void resetNearestDistance() {
        ws.resetNearestDistance();
    }

    /** One k-means++ seeding step: lowers every nearest distance by {@code centre}; returns the potential. */
    public double nearestDistance(float[] centre) {
        return ws.updateNearestDistance(centre, blockPotential);
    }

    /** The potential of block {@code b} after the last {@link #nearestDistance} step. */
    public double blockPotential(int b) {
        return blockPotential[b];
    }

    /** Frees the backend's copy of the data, if it made one. */
    @Override
    public void close() {
        ws.close();
    }
}
