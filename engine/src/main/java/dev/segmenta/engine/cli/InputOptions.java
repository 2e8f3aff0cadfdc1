package dev.segmenta.engine.cli;

import dev.segmenta.io.ReadOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

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

    public ReadOptions readOptions() {
        ReadOptions options = ReadOptions.defaults().withExcluded(new LinkedHashSet<>(exclude)).withIdColumn(idColumn);
        return features == null ? options : options.withFeatures(features);
    }
}
