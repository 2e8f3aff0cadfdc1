package dev.segmenta.engine.cli;

import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Deduplication;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.PreparedInput;
import dev.segmenta.io.ReadOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How files are read for a saved model ({@code predict}, {@code drift}): the id column, and the model's preparation. */
public final class ScoringOptions {

    @Option(names = "--id-column", paramLabel = "COL",
            description = "Customer id column; the file must have it. Default: " + ReadOptions.DEFAULT_ID_COLUMN
                    + " when the file has it, else row numbers (0-based).")
    String idColumn;

    @Option(names = "--dedup", paramLabel = "KEEP",
            description = "Override the model's de-duplication for this input: none, first or last. Default: the model's "
                    + "(as at fit time).")
    String dedup;

    /** {@code file} read with the model's features and prepared as the training data was. */
    PreparedInput prepare(CommandSpec command, SegmentModel model, Path file, OutputOptions output) {
        Preparation preparation = model.preparation();
        if (dedup != null) {
            preparation = preparation.withDedup(PreparationOptions.parse(command, "--dedup", dedup, "none, first or last",
                    () -> Deduplication.of(dedup)));
        }
        ReadOptions options = ReadOptions.defaults().withFeatures(model.features());
        if (idColumn != null) {
            options = options.withRequiredIdColumn(Options.columnName(command, "--id-column", idColumn));
        }
        return PreparedInput.apply(file, options, preparation,
                rows -> output.throttledProgress("%s: de-duplicating, read %,d rows", file, rows));
    }
}
