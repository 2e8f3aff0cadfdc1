package dev.segmenta.engine.cli;

import dev.segmenta.engine.cli.ErrorCatalogueTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.segmenta.engine.cli.ErrorCatalogueTest.inProcess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs are never modified: every command, with each of its outputs pointed at each of its inputs
 * (by the same name, through a symbolic link, as a hard link), and at each of its other outputs, is
 * refused with exit 2 before it reads anything, and every input keeps its bytes. The runs below are
 * checked to cover every file option of every command, so a new option cannot escape the check.
 */
class OutputSafetyTest {

    /** One run of each command that writes, naming every file it reads or writes; each succeeds as it is. */
    private static final List<String> RUNS = List.of(
            "fit -i CUSTOMERS --k 2 -m OUT/m.json -a OUT/a.csv --labels LABELS",
            "fit -i CUSTOMERS --algorithm hierarchical --k 2 -m OUT/h.json --merges OUT/merges.csv --dendrogram OUT/d.png",
            "predict -m MODEL -i CUSTOMERS -o OUT/p.csv --labels LABELS",
            "rfm -t TRANSACTIONS -o OUT/r.csv",
            "drift -m MODEL --before CUSTOMERS --after LATER --json OUT/d.json",
            "elbow -i CUSTOMERS --k 1..2 -o OUT/e.json --plot OUT/e.png",
            "evaluate -m MODEL -i CUSTOMERS --json OUT/v.json",
            "report -m MODEL -i CUSTOMERS -o OUT/r.html --elbow ELBOW --plots OUT",
            "pca -i CUSTOMERS -o OUT/pc.csv",
            "dbscan --suggest-eps -i CUSTOMERS --min-samples 2 --curve OUT/k.csv --plot OUT/k.png",
            "generate --customers 100 -o OUT/g.csv",
            "split -a ASSIGNMENTS --control 0.2 -o OUT/groups.csv",
            "lift -g GROUPS --outcomes OUTCOMES --conversion-column converted --csv OUT/l.csv --json OUT/l.json");

    @TempDir
    static Path dir;
    private static Map<String, Path> inputs;
    private static Map<Path, String> checksums;

    @BeforeAll
    static void writeInputs() throws IOException {
        inputs = new LinkedHashMap<>();
        for (String name : List.of("CUSTOMERS", "LATER", "MODEL", "LABELS", "TRANSACTIONS", "ELBOW", "ASSIGNMENTS", "GROUPS",
                "OUTCOMES")) {
            inputs.put(name, dir.resolve(name.toLowerCase() + switch (name) {
                case "CUSTOMERS", "LATER", "ASSIGNMENTS" -> ".parquet";
                case "TRANSACTIONS", "GROUPS", "OUTCOMES" -> ".csv";
                default -> ".json";
            }));
        }
        succeed("generate --customers 300 --features 3 --segments 3 --seed 1 -o " + inputs.get("CUSTOMERS"));
        succeed("generate --customers 300 --features 3 --segments 3 --seed 2 -o " + inputs.get("LATER"));
        succeed("generate --transactions 500 --customers 50 -o " + inputs.get("TRANSACTIONS"));
        succeed("fit -i " + inputs.get("CUSTOMERS") + " --k 2 -m " + inputs.get("MODEL"));
        succeed("elbow -i " + inputs.get("CUSTOMERS") + " --k 1..3 -o " + inputs.get("ELBOW"));
        Files.writeString(inputs.get("LABELS"), "{\"0\": \"Champions\"}");
        succeed("fit -i " + inputs.get("CUSTOMERS") + " --k 2 -m " + dir.resolve("for-assignments.json") + " -a "
                + inputs.get("ASSIGNMENTS"));
        succeed("split -a " + inputs.get("ASSIGNMENTS") + " --control 0.2 -o " + inputs.get("GROUPS"));
        StringBuilder outcomes = new StringBuilder("customer_id,converted\n");
        for (String line : Files.readAllLines(inputs.get("GROUPS")).subList(1, 301)) {
            String id = line.substring(0, line.indexOf(','));
            outcomes.append(id).append(',').append(id.hashCode() % 3 == 0 ? 1 : 0).append('\n');
        }
        Files.writeString(inputs.get("OUTCOMES"), outcomes);
        checksums = new LinkedHashMap<>();
        for (Path input : inputs.values()) {
            checksums.put(input, Checksums.of(input));
        }
    }

    private static Run succeed(String args) {
        Run run = inProcess(args.split(" "));
        assertEquals(0, run.code(), () -> args + "\n" + run);
        return run;
    }

    private static void inputsUnchanged(String context) throws IOException {
        for (Map.Entry<Path, String> input : checksums.entrySet()) {
            assertEquals(input.getValue(), Checksums.of(input.getKey()), input.getKey() + " changed by " + context);
        }
    }

    /** A run's arguments with its placeholders replaced, outputs in {@code out}. */
    private static List<String> arguments(String run, Path out) {
        List<String> args = new ArrayList<>();
        for (String arg : run.split(" ")) {
            for (Map.Entry<String, Path> input : inputs.entrySet()) {
                arg = arg.equals(input.getKey()) ? input.getValue().toString() : arg;
            }
            args.add(arg.replace("OUT", out.toString()));
        }
        return args;
    }

    /** The file options a run names, by option name, in the order given, with their roles. */
    private static Map<String, FileRole> fileOptions(List<String> args) {
        CommandLine.ParseResult parsed = cli().parseArgs(args.toArray(String[]::new)).subcommand();
        Map<String, FileRole> options = new LinkedHashMap<>();
        for (OptionSpec option : parsed.matchedOptions()) {
            FileRole role = OutputClashes.role(option);
            if (role != null) {
                options.put(option.longestName(), role);
            }
        }
        return options;
    }

    /** A parser configured as {@link SegmentaCli#run} configures it. */
    private static CommandLine cli() {
        return new CommandLine(new SegmentaCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    private static List<String> with(List<String> args, String option, String value) {
        List<String> changed = new ArrayList<>(args);
        changed.set(valueIndex(args, option), value);
        return changed;
    }

    private static boolean fileOptionNamed(String command, String arg, String longName) {
        CommandSpec spec = cli().getSubcommands().get(command).getCommandSpec();
        OptionSpec option = spec.findOption(arg.replaceFirst("^-+", ""));
        return option != null && option.longestName().equals(longName);
    }

    private static Path fresh(String name) throws IOException {
        return Files.createTempDirectory(dir, name);
    }

    @TestFactory
    Stream<DynamicTest> everyOutputPointedAtEveryInputIsRefused() {
        return RUNS.stream().flatMap(run -> {
            List<String> base = arguments(run, dir);
            Map<String, FileRole> options = fileOptions(base);
            List<DynamicTest> tests = new ArrayList<>();
            for (Map.Entry<String, FileRole> output : options.entrySet()) {
                if (output.getValue().value() != FileRole.Role.OUTPUT || !output.getValue().filesInDirectory().isEmpty()) {
                    continue;
                }
                for (Map.Entry<String, FileRole> input : options.entrySet()) {
                    if (input.getValue().value() != FileRole.Role.INPUT) {
                        continue;
                    }
                    Path target = Path.of(inputOf(base, input.getKey()));
                    for (String how : List.of("same name", "symbolic link", "hard link")) {
                        tests.add(DynamicTest.dynamicTest(base.getFirst() + " " + output.getKey() + " = " + input.getKey()
                                + " (" + how + ")", () -> refused(base, output.getKey(), input.getKey(), target, how)));
                    }
                }
            }
            return tests.stream();
        });
    }

    /** The value given to {@code option} in {@code args}. */
    private static String inputOf(List<String> args, String option) {
        return args.get(valueIndex(args, option));
    }

    /** Where the value of {@code option} (by its long name) stands in {@code args}. */
    private static int valueIndex(List<String> args, String option) {
        for (int i = 1; i < args.size() - 1; i++) {
            if (fileOptionNamed(args.getFirst(), args.get(i), option)) {
                return i + 1;
            }
        }
        throw new AssertionError(option + " not in " + args);
    }

    private static void refused(List<String> base, String output, String input, Path target, String how) throws IOException {
        Path out = fresh("clash");
        Path name = switch (how) {
            case "same name" -> target;
            case "symbolic link" -> Files.createSymbolicLink(out.resolve("link" + extension(target)), target);
            default -> Files.createLink(out.resolve("hard" + extension(target)), target);
        };
        List<String> args = with(base, output, name.toString());
        Set<String> before = files(out);
        Run run = inProcess(args.toArray(String[]::new));
        String context = String.join(" ", args) + "\n" + run;
        assertEquals(ExitCodes.USAGE, run.code(), context);
        assertTrue(run.err().contains(output + " " + name + " would overwrite the input " + input + " "), context);
        assertTrue(!run.err().contains("\tat "), context);
        inputsUnchanged(context);
        assertEquals(before, files(out), "nothing written: " + context);
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        return name.substring(name.indexOf('.'));
    }

    @TestFactory
    Stream<DynamicTest> twoOutputsOfOneFileAreRefused() {
        return RUNS.stream().flatMap(run -> {
            List<String> base = arguments(run, dir);
            List<String> outputs = fileOptions(base).entrySet().stream()
                    .filter(e -> e.getValue().value() == FileRole.Role.OUTPUT && e.getValue().filesInDirectory().isEmpty())
                    .map(Map.Entry::getKey).toList();
            List<DynamicTest> tests = new ArrayList<>();
            for (int a = 0; a < outputs.size(); a++) {
                for (int b = a + 1; b < outputs.size(); b++) {
                    String first = outputs.get(a);
                    String second = outputs.get(b);
                    tests.add(DynamicTest.dynamicTest(base.getFirst() + " " + first + " = " + second, () -> {
                        Path out = fresh("twice");
                        List<String> args = with(arguments(run, out), second, inputOf(arguments(run, out), first));
                        Run result = inProcess(args.toArray(String[]::new));
                        assertEquals(ExitCodes.USAGE, result.code(), String.join(" ", args) + "\n" + result);
                        assertTrue(result.err().contains(" are the same file; give each output its own name"), result::toString);
                        assertEquals(Set.of(), files(out));
                    }));
                }
            }
            return tests.stream();
        });
    }

    @Test
    void anInputAmongThePlotsOfADirectoryIsRefused() throws IOException {
        Path out = fresh("plots");
        Path elbow = Files.copy(inputs.get("ELBOW"), out.resolve("sizes.png"));
        Run run = inProcess("report", "-m", inputs.get("MODEL").toString(), "-i", inputs.get("CUSTOMERS").toString(),
                "-o", out.resolve("r.html").toString(), "--elbow", elbow.toString(), "--plots", out.toString());
        assertEquals(ExitCodes.USAGE, run.code(), run::toString);
        assertTrue(run.err().contains("--plots " + out + " would overwrite the input --elbow " + elbow), run::toString);
        assertEquals(Set.of("sizes.png"), files(out));
    }

    @Test
    void everyRunSucceedsAsWrittenAndLeavesItsInputsAlone() throws IOException {
        for (String run : RUNS) {
            Path out = fresh("ok");
            List<String> args = arguments(run, out);
            Run result = inProcess(args.toArray(String[]::new));
            assertEquals(0, result.code(), String.join(" ", args) + "\n" + result);
            inputsUnchanged(run);
        }
    }

    /**
     * Every {@code Path} option of every command says whether it is read or written, and the runs
     * above name every such option of the commands that write: otherwise the clash check would not see it.
     */
    @Test
    void theRunsCoverEveryFileOptionOfEveryCommand() {
        Set<String> named = new TreeSet<>();
        for (String run : RUNS) {
            List<String> args = arguments(run, dir);
            fileOptions(args).keySet().forEach(option -> named.add(args.getFirst() + " " + option));
        }
        Set<String> declared = new TreeSet<>();
        Set<String> unmarked = new TreeSet<>();
        for (Map.Entry<String, CommandLine> command : cli().getSubcommands().entrySet()) {
            List<OptionSpec> options = command.getValue().getCommandSpec().options();
            boolean writes = options.stream().anyMatch(o -> OutputClashes.role(o) != null
                    && OutputClashes.role(o).value() == FileRole.Role.OUTPUT);
            for (OptionSpec option : options) {
                if (option.type() == Path.class && OutputClashes.role(option) == null) {
                    unmarked.add(command.getKey() + " " + option.longestName());
                }
                if (writes && OutputClashes.role(option) != null) {
                    declared.add(command.getKey() + " " + option.longestName());
                }
            }
        }
        assertEquals(Set.of(), unmarked, "Path options without @FileRole");
        assertEquals(declared, named, "file options of writing commands that no run above names");
    }

    private static Set<String> files(Path directory) throws IOException {
        try (Stream<Path> all = Files.list(directory)) {
            return all.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
