package dev.segmenta.engine.prep;

import java.util.List;

/**
 * The preparation asked for before a fit: what {@link PreparedInput#fit} turns into a {@link Preparation}.
 *
 * @param imputation   what to do with missing values
 * @param fillValue    the value for {@link Imputation#CONSTANT}
 * @param nanIsMissing whether NaN counts as missing (a null always does)
 * @param dedup        which row of a repeated customer id to keep
 * @param log1p        features to replace by {@code ln(1 + x)} (skewed money columns)
 */
public record PreparationSpec(Imputation imputation, double fillValue, boolean nanIsMissing, Deduplication dedup,
                              List<String> log1p) {

    public PreparationSpec {
        log1p = log1p == null ? List.of() : List.copyOf(log1p);
        if (imputation == Imputation.CONSTANT && !Double.isFinite(fillValue)) {
            throw new IllegalArgumentException("a constant fill value must be a finite number, got " + fillValue);
        }
    }

    /** Nothing: missing values are errors, every row is kept, features are used as they are. */
    public static PreparationSpec none() {
        return new PreparationSpec(Imputation.NONE, 0, false, Deduplication.NONE, List.of());
    }
}
