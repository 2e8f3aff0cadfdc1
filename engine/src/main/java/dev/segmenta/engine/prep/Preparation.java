package dev.segmenta.engine.prep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.segmenta.io.ReadOptions;

import java.util.List;

/**
 * The preparation fitted on the training data and stored in the model, so that {@code predict} and
 * {@code drift} treat new customers exactly as the training customers were: missing values
 * ({@code impute}, with the fitted {@code fill} values), duplicate ids ({@code dedup}) and log1p
 * of skewed columns ({@code log1p}), in this order; the model's scaling follows.
 *
 * @param impute       {@link Imputation#label()}
 * @param nanIsMissing whether NaN counts as missing like a null (otherwise a NaN is an error)
 * @param fill         per feature, the value that replaces a missing one (mean, median or the
 *                     constant; in original units), or {@code null} unless {@code impute} fills
 * @param dedup        {@link Deduplication#label()}
 * @param log1p        the features replaced by {@code ln(1 + x)}, in model feature order
 * @param training     what the preparation did to the training file
 */
public record Preparation(String impute, boolean nanIsMissing, double[] fill, String dedup, List<String> log1p,
                          PreparationCounts training) {

    public Preparation {
        log1p = log1p == null ? List.of() : List.copyOf(log1p);
    }

    /** No imputation (missing values are errors), no de-duplication, no log1p: what models before format 2 did. */
    public static Preparation none() {
        return new Preparation(Imputation.NONE.label(), false, null, Deduplication.NONE.label(), List.of(), null);
    }

    public Imputation imputation() {
        return Imputation.of(impute);
    }

    public Deduplication deduplication() {
        return Deduplication.of(dedup);
    }

    /** How the readers are to treat nulls and NaN for this preparation. */
    public ReadOptions.Missing readMissing() {
        if (imputation() == Imputation.NONE) {
            return ReadOptions.Missing.REJECT;
        }
        return nanIsMissing ? ReadOptions.Missing.NULLS_AND_NAN : ReadOptions.Missing.NULLS;
    }

    /** Whether applying this preparation changes nothing (so a reader's blocks can be used as they are). */
    @JsonIgnore
    public boolean isIdentity() {
        return imputation() == Imputation.NONE && deduplication() == Deduplication.NONE && log1p.isEmpty();
    }

    /** The same preparation with what it did to the training file. */
    public Preparation withTraining(PreparationCounts counts) {
        return new Preparation(impute, nanIsMissing, fill, dedup, log1p, counts);
    }

    /** The same preparation with another de-duplication (e.g. none, for a scoring file known to be unique). */
    public Preparation withDedup(Deduplication replacement) {
        return new Preparation(impute, nanIsMissing, fill, replacement.label(), log1p, training);
    }
}
