package dev.segmenta.engine.cli;

import dev.segmenta.io.ReadOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which file to read and which of its columns are features and ids. */
public final class InputOptions {

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "Customers file: .parquet, .arrow/.feather (Arrow IPC file), .arrows (Arrow IPC stream) or .csv.")
    Path input;

    @Option(names = "--features", split = ",", paramLabel = "COL",
            description = "Feature columns, comma-separated. Default: every numeric column except the id column "
                    + "and the --exclude columns.")
    List<String> features;

    @Option(names = "--exclude", split = ",", paramLabel = "COL", defaultValue = "true_segment",
            description = "Numeric columns to leave out of the default feature set. Default: ${DEFAULT-VALUE} "
                    + "(the known segment that 'segmenta generate' writes).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--id-column", paramLabel = "COL",
            description = "Customer id column, copied to the outputs; the file must have it. Default: "
                    + ReadOptions.DEFAULT_ID_COLUMN + " when the file has it, else row numbers (0-based).")
    String idColumn;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public Path input() {
        return input;
    }

    /** The warnings given so far: a command opens its input more than once (statistics, then the read). */
    private final Set<String> warned = new HashSet<>();

    /**
     * The columns asked for, each column the default features leave out named once on stderr; a usage
     * error for an empty --id-column or a feature named twice.
     */
    public ReadOptions readOptions() {
        ReadOptions options = ReadOptions.defaults().withExcluded(new LinkedHashSet<>(exclude)).withWarnings(this::warnOnce);
        if (idColumn != null) {
            options = options.withRequiredIdColumn(Options.columnName(command, "--id-column", idColumn));
        }
        if (features == null) {
            return options;
        }
        return options.withFeatures(Options.distinct(command, "--features", features));
    }

    private void warnOnce(String warning) {
        if (warned.add(warning)) {
            OutputOptions.warning(command, warning);
        }
    }
}
