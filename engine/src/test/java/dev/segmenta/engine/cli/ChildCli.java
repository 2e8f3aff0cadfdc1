package dev.segmenta.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CLI in a child JVM, for what cannot happen inside the test's own: a small heap, a signal, a
 * kill, missing JVM flags, another user's permissions or a full disk. The child runs the test's own
 * classes (the build's, not a packaged jar).
 */
final class ChildCli {

    /** The flags the launcher passes (see ./segmenta); without them Arrow and the SIMD kernels cannot start. */
    static final List<String> JVM_FLAGS = List.of("--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private ChildCli() {
    }

    /** What a finished child printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    /**
     * The command line of a child running {@code segmenta args...}: {@code prefix} (a wrapper such as
     * {@code unshare}, or nothing), then java with {@code jvmFlags} and the test class path.
     */
    static List<String> command(List<String> prefix, List<String> jvmFlags, List<String> args) {
        return command(prefix, jvmFlags, SegmentaCli.class, args);
    }

    /** Like {@link #command(List, List, List)} with another main class, such as {@link CliBatch}. */
    static List<String> command(List<String> prefix, List<String> jvmFlags, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** Starts {@code command}, its output going to files in {@code logs}. */
    static Process start(List<String> command, Path logs) throws IOException {
        Files.createDirectories(logs);
        return new ProcessBuilder(command).redirectOutput(logs.resolve("stdout.txt").toFile())
                .redirectError(logs.resolve("stderr.txt").toFile()).start();
    }

    /** Runs {@code command} to its end (at most {@code seconds}) and returns what it printed. */
    static Result run(List<String> command, Path logs, int seconds) throws IOException, InterruptedException {
        Process child = start(command, logs);
        if (!child.waitFor(seconds, TimeUnit.SECONDS)) {
            String threads = threadDump(child);
            child.destroyForcibly().waitFor();
            throw new AssertionError("no exit within " + seconds + " s: " + command + "\nstderr: "
                    + Files.readString(logs.resolve("stderr.txt")) + "\nthreads:\n" + threads);
        }
        return result(child, logs);
    }

    /** What a hung child is doing, from {@code jcmd Thread.print} (so that a timeout says where it hangs). */
    private static String threadDump(Process child) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(child.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String out = new String(dump.getInputStream().readAllBytes());
            return dump.waitFor(30, TimeUnit.SECONDS) ? out : "(jcmd did not finish)";
        } catch (IOException e) {
            return "(no thread dump: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    static Result result(Process child, Path logs) throws IOException {
        return new Result(child.exitValue(), Files.readString(logs.resolve("stdout.txt")),
                Files.readString(logs.resolve("stderr.txt")));
    }

    /** Whether this process runs as root, where file permissions do not apply to it. */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * A prefix that makes file permissions apply to the child even when the tests run as root: a new
     * user namespace without a mapping for root, in which the child is just the files' owner.
     */
    static List<String> withPermissions() {
        return root() ? List.of("unshare", "--user") : List.of();
    }

    /** Whether {@code command} runs here (for the namespace tricks, which a container may forbid). */
    static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
