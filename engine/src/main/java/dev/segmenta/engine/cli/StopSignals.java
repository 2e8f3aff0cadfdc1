package dev.segmenta.engine.cli;

import dev.segmenta.io.Cancellation;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM (a scheduler's timeout, {@code kill}, a container stopping) as a
 * cooperative stop. The JVM's own handling (run the shutdown hooks, exit with 128 + the signal's
 * number) ends the process under whatever is running; when that is Arrow's native Parquet/CSV scanner,
 * its threads run on into the teardown and about one exit in six was a SIGSEGV (exit 134, an
 * {@code hs_err} file in the working directory). Instead the first of these signals requests a
 * {@link Cancellation} and interrupts the main thread: the work stops at its next batch, block or
 * iteration, unwinds through its try-with-resources (closing the native scan, deleting temporary
 * files) and the CLI exits with {@link #exitCode()}. Work that does not reach a check within
 * {@link #GRACE_SECONDS} ends the JVM as before: shutdown hooks, then the same code. Later signals
 * change nothing.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal, hence javac's warning about a proprietary API.
 */
final class StopSignals {

    /** How long the work has, after the signal, to stop by itself before the process is ended. */
    static final int GRACE_SECONDS = 5;

    /** The signals handled, each with the exit code and the word its stop is reported with. */
    private enum Stop {
        INT(ExitCodes.INTERRUPTED, "interrupted"),
        TERM(ExitCodes.TERMINATED, "terminated");

        final int exitCode;
        final String word;

        Stop(int exitCode, String word) {
            this.exitCode = exitCode;
            this.word = word;
        }
    }

    private static volatile Stop received;

    private StopSignals() {
    }

    /** Routes SIGINT and SIGTERM to {@code main} (the thread running the command); a signal the process ignores stays ignored. */
    static void install(Thread main) {
        for (Stop stop : Stop.values()) {
            try {
                Signal.handle(new Signal(stop.name()), signal -> stop(stop, main));
            } catch (IllegalArgumentException e) {
                // Reserved (java -Xrs): the JVM's default handling stays.
            }
        }
    }

    private static synchronized void stop(Stop stop, Thread main) {
        if (received != null) {
            // Already stopping; ending the JVM now could be under the native scan again.
            return;
        }
        received = stop;
        Cancellation.request();
        main.interrupt();
        Thread deadline = new Thread(() -> {
            try {
                TimeUnit.SECONDS.sleep(GRACE_SECONDS);
            } catch (InterruptedException ignored) {
                // exit now rather than later
            }
            Runtime.getRuntime().exit(stop.exitCode);
        }, "segmenta-stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }

    /** The exit code of a stopped command: 143 after SIGTERM, otherwise (Ctrl-C, or an interrupted thread) 130. */
    static int exitCode() {
        Stop stop = received;
        return stop == null ? ExitCodes.INTERRUPTED : stop.exitCode;
    }

    /** "interrupted" or "terminated", for the command's last line. */
    static String word() {
        Stop stop = received;
        return stop == null ? Stop.INT.word : stop.word;
    }
}
