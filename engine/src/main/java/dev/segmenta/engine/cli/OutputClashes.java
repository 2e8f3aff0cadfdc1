package dev.segmenta.engine.cli;

import dev.segmenta.io.AtomicFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Refuses a command whose output would replace one of its inputs, or another of its outputs, before
 * it reads anything: {@code fit -i x.parquet --assignments x.parquet} would otherwise destroy the
 * customers it was asked to segment. Two names are the same file when they are the same path, when
 * links lead from one to the other (outputs are written through symbolic links, {@link AtomicFiles#destination}),
 * or when they are hard links of one file.
 */
final class OutputClashes {

    private OutputClashes() {
    }

    /** One file named on the command line, with what identifies it on disk. */
    private record Named(String option, Path given, Path destination, Object fileKey, PathMatcher inDirectory) {

        String describe() {
            return option + " " + given;
        }

        boolean sameFile(Named other) {
            return destination.equals(other.destination) || fileKey != null && fileKey.equals(other.fileKey);
        }

        /** For an output directory: whether the command may write {@code file} into it. */
        boolean receives(Named file) {
            return file.destination.getParent() != null && file.destination.getParent().equals(destination)
                    && inDirectory.matches(file.destination.getFileName());
        }
    }

    /**
     * @throws ParameterException (exit 2) naming the two options and the file they share
     * @throws IOException        when a link cannot be followed (a loop)
     */
    static void check(CommandSpec command) throws IOException {
        List<Named> inputs = new ArrayList<>();
        List<Named> outputs = new ArrayList<>();
        for (OptionSpec option : command.options()) {
            FileRole role = role(option);
            Object value = option.getValue();
            if (role == null || value == null) {
                continue;
            }
            Named named = named(option.longestName(), (Path) value, role.filesInDirectory());
            (role.value() == FileRole.Role.INPUT ? inputs : outputs).add(named);
        }
        for (int o = 0; o < outputs.size(); o++) {
            Named output = outputs.get(o);
            for (Named input : inputs) {
                if (output.inDirectory() == null ? output.sameFile(input) : output.receives(input)) {
                    throw new ParameterException(command.commandLine(), output.describe() + " would overwrite the input "
                            + input.describe() + sameVia(output, input) + "; inputs are never modified, so write the output elsewhere");
                }
            }
            for (Named other : outputs.subList(0, o)) {
                boolean clash = output.inDirectory() == null && other.inDirectory() == null ? output.sameFile(other)
                        : output.inDirectory() == null ? other.receives(output) : output.receives(other);
                if (clash) {
                    throw new ParameterException(command.commandLine(), other.describe() + " and " + output.describe()
                            + " are the same file" + sameVia(other, output) + "; give each output its own name");
                }
            }
        }
    }

    /** The role of an option declared by a field with {@link FileRole}, or {@code null}. */
    static FileRole role(OptionSpec option) {
        return option.userObject() instanceof Field field ? field.getAnnotation(FileRole.class) : null;
    }

    private static Named named(String option, Path given, String filesInDirectory) throws IOException {
        Path destination = AtomicFiles.destination(given);
        Object key = null;
        if (Files.exists(destination)) {
            destination = destination.toRealPath();
            key = Files.readAttributes(destination, BasicFileAttributes.class).fileKey();
        } else if (destination.getParent() != null && Files.isDirectory(destination.getParent())) {
            destination = destination.getParent().toRealPath().resolve(destination.getFileName());
        }
        PathMatcher matcher = filesInDirectory.isEmpty() ? null
                : FileSystems.getDefault().getPathMatcher("glob:" + filesInDirectory);
        return new Named(option, given, destination, key, matcher);
    }

    /** How two differently written names reach one file, for the message; empty when they are written alike. */
    private static String sameVia(Named a, Named b) {
        if (a.given().toAbsolutePath().normalize().equals(b.given().toAbsolutePath().normalize())) {
            return "";
        }
        if (Stream.of(a.given(), b.given()).anyMatch(Files::isSymbolicLink)) {
            return " (through a symbolic link to " + (a.inDirectory() != null ? b : a).destination() + ")";
        }
        return !a.destination().equals(b.destination()) ? " (hard links of one file)" : " (both are " + a.destination() + ")";
    }
}
