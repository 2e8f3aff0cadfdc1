package dev.segmenta.peers;

import java.nio.file.Path;

/**
 * One engine's k-means, driven the same way for every engine: load the points once, then run a fixed
 * number of Lloyd iterations from given centroids with no convergence test (or only "nothing moved").
 */
interface Peer extends AutoCloseable {

    /** The engine and version, e.g. {@code "Smile 6.3.0 KMeans (BBD-tree filtering)"}. */
    String name();

    /** Threads the engine actually computes on (some are sequential whatever they are given). */
    int threadsUsed();

    /** Reads the points file ({@link Points}) into the engine's own representation: not part of the timed fits. */
    void load(Path file, int d) throws Exception;

    /**
     * Runs at most {@code iterations} Lloyd iterations from {@code initial} ({@code k * d}, row-major).
     *
     * @return the final centroids and the iterations the engine ran
     */
    Fit fit(float[] initial, int k, int iterations) throws Exception;

    record Fit(float[] centroids, int iterations) { }

    @Override
    default void close() throws Exception {
    }
}
