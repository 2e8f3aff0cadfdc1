package dev.segmenta.engine.cli;

import dev.segmenta.io.Cancellation;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) as a cooperative stop. The JVM's own handling (run the shutdown hooks, exit with
 * 130) ends the process under whatever is running; when that is Arrow's native Parquet/CSV scanner,
 * its threads run on into the teardown and about one exit in six was a SIGSEGV (exit 134, an
 * {@code hs_err} file in the working directory). Instead the first SIGINT requests a
 * {@link Cancellation} and interrupts the main thread: the work stops at its next batch, block or
 * iteration, unwinds through its try-with-resources (closing the native scan, deleting temporary
 * files) and the CLI exits with 130. Work that does not reach a check within {@link #GRACE_SECONDS}
 * ends the JVM as before: shutdown hooks, then 130. A second Ctrl-C changes nothing.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal, hence javac's warning about a proprietary API.
 */
final class CtrlC {

    /** How long the work has, after Ctrl-C, to stop by itself before the process is ended. */
    static final int GRACE_SECONDS = 5;

    private CtrlC() {
    }

    /** Routes SIGINT to {@code main} (the thread running the command); a no-op where SIGINT is ignored (background jobs). */
    static void install(Thread main) {
        try {
            Signal.handle(new Signal("INT"), signal -> {
                if (Cancellation.requested()) {
                    // Already stopping; ending the JVM now could be under the native scan again.
                    return;
                }
                Cancellation.request();
                main.interrupt();
                Thread deadline = new Thread(() -> {
                    try {
                        TimeUnit.SECONDS.sleep(GRACE_SECONDS);
                    } catch (InterruptedException ignored) {
                        // exit now rather than later
                    }
                    Runtime.getRuntime().exit(ExitCodes.INTERRUPTED);
                }, "segmenta-ctrl-c-deadline");
                deadline.setDaemon(true);
                deadline.start();
            });
        } catch (IllegalArgumentException e) {
            // SIGINT is reserved (java -Xrs): the JVM's default handling stays.
        }
    }
}
