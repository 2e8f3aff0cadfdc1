package dev.segmenta.engine.cluster;

/** Progress of a fit, for logging; every method has an empty default. */
public interface KMeansListener {

    KMeansListener NONE = new KMeansListener() { };

    /**
     * The backend holds the data itself for this fit (a device backend, see
     * {@link dev.segmenta.kernels.ResidentDataset}): where, how much, and the one-off cost of putting it there.
     */
    default void dataPlaced(String description) { }

    default void initialised(int restart, long nanos) { }

    /**
     * @param inertia weighted squared distances to the centroids this iteration started from
     * @param shift   total squared movement of the centroids in this iteration
     */
    default void iteration(int restart, int iteration, double inertia, double shift, long nanos) { }

    default void restartFinished(int restart, KMeansResult result) { }
}
