package dev.segmenta.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs several {@code segmenta} command lines one after another in one JVM, for tests that need a
 * child process for a situation (another user's permissions, a full disk) but not one per run:
 * {@code CliBatch RESULTS -- fit ... -- predict ...} writes {@code RESULTS/<i>.code}, {@code .out}
 * and {@code .err} for the {@code i}-th command line.
 */
final class CliBatch {

    static final String SEPARATOR = "--next-command--";

    private CliBatch() {
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args[0]);
        List<List<String>> commands = split(Arrays.asList(args).subList(1, args.length));
        for (int i = 0; i < commands.size(); i++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = SegmentaCli.run(commands.get(i).toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            Files.writeString(results.resolve(i + ".out"), out.toString());
            Files.writeString(results.resolve(i + ".err"), err.toString());
            Files.writeString(results.resolve(i + ".code"), Integer.toString(code));
        }
    }

    /** The command lines of {@code args}, each preceded by {@link #SEPARATOR}. */
    static List<List<String>> split(List<String> args) {
        List<List<String>> commands = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals(SEPARATOR)) {
                commands.add(new ArrayList<>());
            } else {
                commands.getLast().add(arg);
            }
        }
        return commands;
    }

    /** The arguments that make {@link #main} run {@code commands}, writing to {@code results}. */
    static List<String> arguments(Path results, List<List<String>> commands) {
        List<String> args = new ArrayList<>(List.of(results.toString()));
        for (List<String> command : commands) {
            args.add(SEPARATOR);
            args.addAll(command);
        }
        return args;
    }
}
