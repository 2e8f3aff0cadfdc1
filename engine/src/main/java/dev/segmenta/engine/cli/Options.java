package dev.segmenta.engine.cli;

import dev.segmenta.engine.plot.PngCharts;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.IsoTimestamps;
import dev.segmenta.io.TableWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks and constants shared by the commands. */
final class Options {

    private Options() {
    }

    static void positive(CommandSpec spec, String option, long value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }

    /** A usage error above {@code limit}: the documented cap of an option whose value sizes an allocation. */
    static void atMost(CommandSpec spec, String option, long value, long limit) {
        if (value > limit) {
            throw new ParameterException(spec.commandLine(), option + " must be at most " + limit + ", got " + value);
        }
    }

    static void nonNegative(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new ParameterException(spec.commandLine(), option + " must be a finite number >= 0, got " + value);
        }
    }

    /** A usage error when any of {@code names} was given: it would be silently ignored by {@code algorithm}. */
    static void notApplicable(CommandSpec spec, String algorithm, String... names) {
        for (String name : names) {
            if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                throw new ParameterException(spec.commandLine(), name + " does not apply to --algorithm " + algorithm);
            }
        }
    }

    static void scaling(CommandSpec spec, String method) {
        if (!Set.of(Scaling.NONE, Scaling.ZSCORE, Scaling.MINMAX).contains(method)) {
            throw new ParameterException(spec.commandLine(),
                    "--scale must be one of zscore, minmax, none; got '" + method + "'");
        }
    }

    /** {@code name} as a column name: a usage error when it is empty (no column can be named ''). */
    static String columnName(CommandSpec spec, String option, String name) {
        if (name.isEmpty()) {
            throw new ParameterException(spec.commandLine(), option + " must name a column, got ''");
        }
        return name;
    }

    /**
     * {@code names} when each appears once; a usage error naming the first repeated one otherwise, as a
     * column listed twice would count twice (a feature weighted double) or write a model that cannot be read.
     */
    static List<String> distinct(CommandSpec spec, String option, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new ParameterException(spec.commandLine(), option + " names '" + name + "' twice; name each column once");
            }
        }
        return names;
    }

    /** A {@code yyyy-mm-dd} option as days since 1970-01-01; a usage error otherwise. */
    static long date(CommandSpec spec, String option, String value) {
        long day = IsoTimestamps.parseDate(value);
        if (day == IsoTimestamps.INVALID) {
            throw new ParameterException(spec.commandLine(), option + " must be a date such as 2024-12-31, got '" + value + "'");
        }
        return day;
    }

    /**
     * Checks a table output up front (its extension, then its directory), so a long run does not end
     * in an unwritable format or place. {@code null} (an optional output not asked for) passes.
     */
    static void tableOutput(CommandSpec spec, String option, Path target) throws IOException {
        if (target != null && !TableWriter.supports(target)) {
            throw new ParameterException(spec.commandLine(), option + " " + target
                    + ": unknown file type; use one of " + TableWriter.EXTENSIONS);
        }
        writableTarget(target);
    }

    /** Checks a plot output up front: a {@code .png} name in a writable directory; {@code null} passes. */
    static void pngOutput(CommandSpec spec, String option, Path target) throws IOException {
        if (target != null && !PngCharts.isPng(target)) {
            throw new ParameterException(spec.commandLine(), option + " " + target + ": give a .png file name");
        }
        writableTarget(target);
    }

    /**
     * Fails before any long work when an output could not be written: its directory must exist and be
     * writable. The write itself is still atomic and may still fail (e.g. disk full).
     */
    static void writableTarget(Path target) throws IOException {
        if (target == null) {
            return;
        }
        Path parent = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new NoSuchFileException(parent.toString(), null, "output directory does not exist; create it first");
        }
        if (!Files.isWritable(parent)) {
            throw new AccessDeniedException(parent.toString(), null, "output directory is not writable");
        }
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null, "is a directory; give a file name");
        }
    }
}
