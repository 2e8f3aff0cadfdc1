package dev.segmenta.io;

import java.util.concurrent.CancellationException;

/**
 * The process-wide request to stop (Ctrl-C, SIGTERM), checked by long work at its natural steps: a record
 * batch read, a block written, a block of a kernel, an iteration. Stopping there, rather than letting
 * the JVM exit under the work, matters for Arrow's native Parquet reader: its threads must be
 * shut down by closing the scan that owns them, or they run on into a process being torn down and
 * crash it (SIGSEGV, exit 134, an {@code hs_err} file left behind).
 *
 * <p>A check also honours the calling thread's interrupt status, so work run on a pool that is shut
 * down stops the same way. Nothing clears a request: the process is on its way out.
 */
public final class Cancellation {

    private static volatile boolean requested;

    private Cancellation() {
    }

    /** Asks every check from now on to fail; called by the CLI's SIGINT and SIGTERM handler. */
    public static void request() {
        requested = true;
    }

    /** Whether {@link #request()} has been called. */
    public static boolean requested() {
        return requested;
    }

    /** Throws {@link CancellationException} if a stop was requested or this thread was interrupted. */
    public static void check() {
        if (requested || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted");
        }
    }
}
