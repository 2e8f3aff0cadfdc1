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

    @Option(names = "--id-column", paramLabel = "COL", defaultValue = "customer_id",
            description = "Customer id column, copied to the outputs; when the file has none, ids are row numbers "
                    + "(0-based). Default: ${DEFAULT-VALUE}.")
    String idColumn;

    public Path input() {
        return input;
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The warnings given so far: a command opens its input more than once (statistics, then the read). */
    private final Set<String> warned = new HashSet<>();

    /** The options for reading the input; each column the default features leave out is named once, on stderr. */
    public ReadOptions readOptions() {
        ReadOptions options = ReadOptions.defaults().withExcluded(new LinkedHashSet<>(exclude)).withIdColumn(idColumn)
                .withWarnings(this::warnOnce);
        return features == null ? options : options.withFeatures(features);
    }

    private void warnOnce(String warning) {
        if (warned.add(warning)) {
            OutputOptions.warning(command, warning);
        }
    }
}
