package dev.segmenta.kernels;

/**
 * A kernel backend cannot start here. The message names the backend, the reason and, where there is
 * one, the fix (for example the JVM flag to add).
 */
public final class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String backend;
    private final String reason;

    /**
     * @param backend the backend's name, as in {@link KernelProvider#name()}
     * @param reason  why it cannot start and what to do about it
     */
    public BackendUnavailableException(String backend, String reason) {
        this(backend, reason, null);
    }

    /** As {@link #BackendUnavailableException(String, String)}, keeping the failure that revealed the reason. */
    public BackendUnavailableException(String backend, String reason, Throwable cause) {
        super("backend '" + backend + "' is unavailable: " + reason, cause);
        this.backend = backend;
        this.reason = reason;
    }

    /** The backend that could not start. */
    public String backend() {
        return backend;
    }

    /** Why it could not start, with the fix where there is one. */
    public String reason() {
        return reason;
    }
}
