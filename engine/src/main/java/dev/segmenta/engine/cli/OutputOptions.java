package dev.segmenta.engine.cli;

import dev.segmenta.engine.data.FeatureStats;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Shared output switches: progress on stderr unless {@code --quiet}; stack traces only with {@code --debug}. */
public final class OutputOptions {

    @Option(names = {"-q", "--quiet"}, description = "Print no progress, only results and errors.")
    boolean quiet;

    @Option(names = "--debug", description = "Print stack traces of errors (for bug reports).")
    boolean debug;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private long lastProgress;

    /** A progress line on stderr (suppressed by --quiet). */
    public void progress(String format, Object... args) {
        if (!quiet) {
            PrintWriter err = command.commandLine().getErr();
            err.println(String.format(Locale.ROOT, format, args));
            err.flush();
        }
    }

    /**
     * A warning on stderr, even with --quiet: the run goes on, but its result may not be what was meant
     * ("segmenta fit: warning: column 'x' has the same value for every customer ...").
     */
    public void warning(String format, Object... args) {
        warning(command, String.format(Locale.ROOT, format, args));
    }

    /** A warning of {@code command} on stderr, for mixins that have no OutputOptions at hand. */
    static void warning(CommandSpec command, String message) {
        PrintWriter err = command.commandLine().getErr();
        err.println("segmenta " + command.name() + ": warning: " + message);
        err.flush();
    }

    /**
     * Warns about each column that has one value for every customer: it cannot tell segments apart, and
     * z-score scaling leaves it at 0 (its standard deviation is 0).
     */
    public void warnAboutConstantColumns(FeatureStats stats, List<String> names) {
        for (int f = 0; f < names.size(); f++) {
            if (stats.count() > 1 && stats.min()[f] == stats.max()[f]) {
                warning("column '%s' has the same value (%s) for every customer; it does not affect the segments "
                        + "(leave it out with --features or --exclude)", names.get(f), (float) stats.min()[f]);
            }
        }
    }

    /** Like {@link #progress} but at most about once a second, for loops over rows. */
    public void throttledProgress(String format, Object... args) {
        long now = System.nanoTime();
        if (now - lastProgress > 1_000_000_000L) {
            lastProgress = now;
            progress(format, args);
        }
    }

    public boolean debug() {
        return debug;
    }
}
