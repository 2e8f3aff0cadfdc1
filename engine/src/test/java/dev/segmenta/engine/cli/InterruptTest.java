package dev.segmenta.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C (a real SIGINT to a child JVM) in the middle of each command's long work: it stops at its
 * next check ({@link StopSignals}), exits with 130 within seconds, leaves no temporary file and no partial
 * target, and its input is unchanged.
 */
class InterruptTest {

    /** How long a command may take to stop after SIGINT (the work's own stop, then the shutdown hooks). */
    private static final int STOP_SECONDS = 15;
    /** Transactions in the log rfm reads when it is stopped: enough for a read of about a second. */
    private static final int TRANSACTIONS = 2_000_000;

    @TempDir
    Path dir;
    @TempDir
    Path logRoot;

    @Test
    void interrupted() throws Exception {
        Path input = BigInputs.customers(CrashSafetyTest.ROWS, ".parquet");
        String before = Checksums.of(input);
        // generate: stopped while it writes its output
        interruptWhen(List.of("generate", "--customers", "50000000", "--out", dir.resolve("g.parquet").toString()),
                () -> hasTemporaryFile(dir), logs("generate"));
        // fit: stopped in its iterations, before anything is written
        interruptWhen(List.of("fit", "-i", input.toString(), "--k", "8", "--n-init", "50", "--tol", "0", "--threads", "1",
                        "-m", dir.resolve("m.json").toString(), "-a", dir.resolve("a.csv").toString()),
                () -> log(logs("fit")).contains("iteration"), logs("fit"));
        // predict: stopped while it writes the assignments
        Path model = dir.resolve("model.json");
        assertEquals(0, ErrorCatalogueTest.inProcess("fit", "-i", input.toString(), "--k", "3", "--max-iter", "2",
                "--n-init", "1", "-m", model.toString(), "-q").code());
        Path large = BigInputs.customers(MemoryTest.CUSTOMERS, ".parquet");
        String largeBefore = Checksums.of(large);
        interruptWhen(List.of("predict", "-m", model.toString(), "-i", large.toString(), "-o", dir.resolve("p.csv").toString(),
                "--backend", "scalar"), () -> hasTemporaryFile(dir), logs("predict"));
        assertEquals(before, Checksums.of(input), "the input is never modified");
        assertEquals(largeBefore, Checksums.of(large), "the input is never modified");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(model), left.filter(Files::isRegularFile).toList(), "no output, no temporary file");
        }
    }

    /** The commands that compute for long before they write: stopped mid-way, they leave nothing at all. */
    @Test
    void interruptedWhileComputing() throws Exception {
        Path input = BigInputs.customers(CrashSafetyTest.ROWS, ".parquet");
        Path model = dir.resolve("model.json");
        assertEquals(0, ErrorCatalogueTest.inProcess("fit", "-i", input.toString(), "--k", "3", "--max-iter", "2",
                "--n-init", "1", "-m", model.toString(), "-q").code());
        Path transactions = BigInputs.transactions(TRANSACTIONS);
        String before = Checksums.of(transactions);
        // elbow: stopped between two values of k, before its curve and plot are written
        interruptWhen(List.of("elbow", "-i", input.toString(), "--k", "2..60", "--tol", "0", "--threads", "1",
                "-o", dir.resolve("e.json").toString(), "--plot", dir.resolve("e.png").toString()),
                () -> log(logs("elbow")).contains("k=2:"), logs("elbow"));
        // report: stopped in its elbow, before its plots and page
        interruptWhen(List.of("report", "-m", model.toString(), "-i", input.toString(), "--k", "2..60", "--threads", "1",
                "-o", dir.resolve("r.html").toString(), "--plots", dir.toString()),
                () -> log(logs("report")).contains("k="), logs("report"));
        // rfm: stopped while it reads the transactions
        interruptWhen(List.of("rfm", "-t", transactions.toString(), "-o", dir.resolve("rfm.parquet").toString()),
                () -> log(logs("rfm")).contains("read "), logs("rfm"));
        assertEquals(before, Checksums.of(transactions), "the input is never modified");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(model), left.filter(Files::isRegularFile).toList(), "no output, no temporary file");
        }
    }

    /** Work that never reaches a check still ends on Ctrl-C: by the deadline, with its temporary files removed. */
    @Test
    void deadlineEndsWorkThatNeverChecks() throws Exception {
        Path temp = dir.resolve(".busy.tmp");
        Path logs = logs("busy");
        Process child = ChildCli.start(ChildCli.command(List.of(), ChildCli.JVM_FLAGS, NeverChecks.class,
                List.of(temp.toString())), logs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log(logs).contains("working") && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive() && Files.exists(temp), () -> "did not start: " + log(logs));
        long sent = System.nanoTime();
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
        Thread.sleep(200);
        // A second Ctrl-C does not cut the grace short.
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
        assertTrue(child.waitFor(STOP_SECONDS, TimeUnit.SECONDS), "did not stop after SIGINT");
        double seconds = (System.nanoTime() - sent) / 1e9;
        assertEquals(ExitCodes.INTERRUPTED, child.exitValue(), () -> log(logs));
        assertTrue(seconds >= StopSignals.GRACE_SECONDS - 0.5, () -> "ended after " + seconds + " s, before the deadline");
        assertTrue(!Files.exists(temp), "the temporary file is removed");
    }

    /** A main that ignores interrupts and checks nothing, holding a temporary file as the writers do. */
    static final class NeverChecks {
        public static void main(String[] args) throws IOException {
            StopSignals.install(Thread.currentThread());
            Path temp = Path.of(args[0]);
            temp.toFile().deleteOnExit();
            Files.createFile(temp);
            System.err.println("working");
            long spins = 0;
            while (spins >= 0) {
                spins++;
            }
        }
    }

    private static String log(Path logs) {
        try {
            return Files.readString(logs.resolve("stderr.txt"));
        } catch (IOException e) {
            return "";
        }
    }

    private Path logs(String command) {
        return logRoot.resolve(command);
    }

    /** SIGTERM (a scheduler's timeout) stops the same way, with 143 and its own word. */
    @Test
    void terminated() throws Exception {
        Path transactions = BigInputs.transactions(TRANSACTIONS);
        String before = Checksums.of(transactions);
        // rfm: stopped while its native scan reads the transactions
        signalWhen("TERM", ExitCodes.TERMINATED, "terminated",
                List.of("rfm", "-t", transactions.toString(), "-o", dir.resolve("rfm.parquet").toString()),
                () -> log(logs("rfm")).contains("read "), logs("rfm"));
        assertEquals(before, Checksums.of(transactions), "the input is never modified");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "no output, no temporary file");
        }
    }

    private void interruptWhen(List<String> args, BooleanSupplier ready, Path logs) throws Exception {
        signalWhen("INT", ExitCodes.INTERRUPTED, "interrupted", args, ready, logs);
    }

    private void signalWhen(String signal, int code, String word, List<String> args, BooleanSupplier ready, Path logs)
            throws Exception {
        Process child = ChildCli.start(ChildCli.command(List.of(), ChildCli.JVM_FLAGS, args), logs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!ready.getAsBoolean() && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), () -> args.getFirst() + " ended before it could be interrupted: " + log(logs));
        Thread.sleep(100);
        new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
        assertTrue(child.waitFor(STOP_SECONDS, TimeUnit.SECONDS), () -> args.getFirst() + " did not stop after SIG" + signal);
        assertEquals(code, child.exitValue(), () -> log(logs));
        // Stopped by the work itself (its native Parquet scan closed first), not by the 5 s deadline.
        assertTrue(log(logs).contains("segmenta " + args.getFirst() + ": " + word + "; outputs not yet complete were removed"),
                () -> args.getFirst() + " did not stop at a check: " + log(logs));
        assertTrue(!hasTemporaryFile(dir), () -> args.getFirst() + " left a temporary file");
    }

    static boolean hasTemporaryFile(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().contains(".tmp"));
        } catch (IOException e) {
            return false;
        }
    }
}
