package dev.segmenta.engine.cluster;

import dev.segmenta.io.Cancellation;


/**
 * One restart of a k-means variant: the shared loop that owns the iteration count, the convergence
 * rule, timing and progress reporting. Variants implement only {@link #iterate(int)}.
 *
 * <p>Stop rule: the total squared centroid movement of an iteration is at most the absolute
 * tolerance, or the iteration cap is reached. A final assignment pass then scores the centroids
 * returned, so the reported inertia always belongs to the returned centroids.
 */
abstract class AbstractKMeans {

    protected final KMeansWorkspace ws;
    protected final int k;
    protected final int d;
    protected float[] centroids;

    AbstractKMeans(KMeansWorkspace ws, float[] initialCentroids, int k) {
        this.ws = ws;
        this.k = k;
        this.d = ws.d;
        this.centroids = initialCentroids.clone();
    }

    /**
     * Runs one iteration from the current {@link #centroids} and replaces them.
     *
     * @return the inertia w.r.t. the centroids the iteration started from, and the squared movement
     */
    protected abstract Step iterate(int iteration);

    record Step(double inertia, double shift) { }

    final KMeansResult run(int maxIterations, double absoluteTolerance, int restart, long initNanos,
                           KMeansListener listener) {
        IterationTimes times = new IterationTimes();
        int iteration = 0;
        boolean converged = false;
        while (iteration < maxIterations && !converged) {
            Cancellation.check();
            long start = System.nanoTime();
            Step step = iterate(iteration);
            long nanos = System.nanoTime() - start;
            times.add(nanos);
            converged = step.shift() <= absoluteTolerance;
            listener.iteration(restart, iteration + 1, step.inertia(), step.shift(), nanos);
            iteration++;
        }
        double inertia = ws.assign(centroids, k);
        return new KMeansResult(centroids.clone(), k, d, inertia, iteration, converged, restart, initNanos,
                times.toArray());
    }
}
