package dev.segmenta.engine.cluster;

/** Progress of a fit made of a few long phases (DBSCAN's passes, a hierarchy's stages), for logging. */
@FunctionalInterface
public interface PhaseListener {

    PhaseListener NONE = (phase, nanos) -> { };

    /** {@code phase} says what was done, in a few words; {@code nanos} is how long it took. */
    void phaseFinished(String phase, long nanos);
}
