package dev.segmenta.engine.cli;

/** Process exit codes of every {@code segmenta} command (documented in docs/errors.md and --help). */
public final class ExitCodes {

    public static final int OK = 0;
    /** A bug: please report it with the output of {@code --debug}. */
    public static final int INTERNAL = 1;
    /** Wrong or missing options, or a backend asked for by name that cannot start. */
    public static final int USAGE = 2;
    /** The input data or model cannot be used as given; the message says where and what to do. */
    public static final int BAD_INPUT = 3;
    /** Reading or writing a file failed (permissions, disk full, ...). */
    public static final int IO = 4;
    /** {@code drift --fail-on-drift} only: the populations differ by more than the threshold; re-clustering is advised. */
    public static final int DRIFT = 5;
    /**
     * The work does not fit in the memory this JVM may use; the message says how much it needs and
     * how to give it (SEGMENTA_JAVA_OPTS=-Xmx...) or how to need less (fit --out-of-core).
     */
    public static final int NOT_ENOUGH_MEMORY = 6;
    /** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells expect. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM (a scheduler's timeout, {@code kill}): 128 + 15. */
    public static final int TERMINATED = 143;

    private ExitCodes() {
    }
}
