package dev.segmenta.engine.cli;

import dev.segmenta.engine.prep.Deduplication;
import dev.segmenta.engine.prep.Imputation;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.PreparationCounts;
import dev.segmenta.engine.prep.PreparationSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code fit}'s preparation options: imputation, de-duplication, log1p (scaling is {@code --scale}). */
public final class PreparationOptions {

    @Option(names = "--impute", paramLabel = "HOW", defaultValue = "none",
            description = "Missing values (empty cells, nulls; NaN with --nan-as-missing): none (an error naming the row), "
                    + "mean, median (exact), constant (--fill-value) or drop (leave the row out, counted). Fill values are "
                    + "learnt here and stored in the model for 'predict'. Default: ${DEFAULT-VALUE}.")
    String impute;

    @Option(names = "--fill-value", paramLabel = "V",
            description = "The value for --impute constant.")
    Double fillValue;

    @Option(names = "--nan-as-missing",
            description = "Treat NaN like an empty cell (imputed or dropped) instead of rejecting it.")
    boolean nanAsMissing;

    @Option(names = "--dedup", paramLabel = "KEEP", defaultValue = "none",
            description = "Rows with the same customer id: none (keep all), first or last (keep that one row, in file order; "
                    + "the others are counted). Needs about 16-28 bytes per distinct numeric id. Default: ${DEFAULT-VALUE}.")
    String dedup;

    @Option(names = "--log1p", split = ",", paramLabel = "COL",
            description = "Features to replace by ln(1 + x) before scaling: skewed money columns such as annual_spend.")
    List<String> log1p = new ArrayList<>();

    /**
     * The preparation asked for; a usage error for an unknown name, a missing or stray --fill-value, or
     * a --log1p column named twice.
     */
    PreparationSpec spec(CommandSpec command) {
        Imputation imputation = parse(command, "--impute", impute, "none, mean, median, constant or drop",
                () -> Imputation.of(impute));
        Deduplication keep = parse(command, "--dedup", dedup, "none, first or last", () -> Deduplication.of(dedup));
        if (imputation == Imputation.CONSTANT && (fillValue == null || !Double.isFinite(fillValue))) {
            throw new ParameterException(command.commandLine(), "--impute constant needs a finite --fill-value, e.g. --fill-value 0");
        }
        if (imputation != Imputation.CONSTANT && fillValue != null) {
            throw new ParameterException(command.commandLine(), "--fill-value goes with --impute constant");
        }
        if (nanAsMissing && imputation == Imputation.NONE) {
            throw new ParameterException(command.commandLine(),
                    "--nan-as-missing needs an --impute policy (mean, median, constant or drop) to handle the NaN");
        }
        return new PreparationSpec(imputation, fillValue == null ? 0 : fillValue, nanAsMissing, keep,
                Options.distinct(command, "--log1p", log1p));
    }

    static <T> T parse(CommandSpec command, String option, String value, String choices,
                       java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), option + " must be one of " + choices + "; got '" + value + "'");
        }
    }

    /** One line saying what the preparation did, or {@code null} when it did nothing. */
    static String summary(Preparation preparation, PreparationCounts counts) {
        if (preparation.isIdentity() || counts == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "%,d rows read", counts.rowsRead()));
        Imputation imputation = preparation.imputation();
        if (imputation == Imputation.DROP) {
            parts.add(String.format(Locale.ROOT, "%,d dropped for missing values", counts.droppedMissing()));
        } else if (imputation.fills()) {
            parts.add(String.format(Locale.ROOT, "%,d missing values imputed (%s)", counts.valuesImputed(), imputation.label()));
        }
        if (preparation.deduplication() != Deduplication.NONE) {
            parts.add(String.format(Locale.ROOT, "%,d duplicate ids removed (kept %s)", counts.duplicates(),
                    preparation.dedup()));
        }
        if (!preparation.log1p().isEmpty()) {
            parts.add("log1p of " + String.join(", ", preparation.log1p()));
        }
        parts.add(String.format(Locale.ROOT, "%,d customers kept", counts.rowsKept()));
        return "prepared: " + String.join(", ", parts);
    }
}
