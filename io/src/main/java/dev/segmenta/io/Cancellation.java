package dev.segmenta.io;

import java.util.concurrent.CancellationException;

/**
 * The process-wide request to stop (Ctrl-C, SIGTERM), checked by long work at its natural steps: a record
 * batch read, a block written, a block of a kernel, an iteration. Stopping there, rather than letting
 * the JVM exit under the work, lets every command unwind through its try-with-resources: the readers'
 * pools are shut down and temporary outputs deleted. (Arrow's native Parquet reader, used until issue
 * 16, made it a must: its threads ran on into a process being torn down and crashed it.)
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
