package dev.segmenta.engine.prep;

import java.util.Locale;

/** What to do with a missing feature value (a null, or NaN when asked): the first preparation step. */
public enum Imputation {
    /** Missing values are an error naming the file, row and column (the default). */
    NONE,
    /** The mean of the column's present values in the training data. */
    MEAN,
    /** The exact median of the column's present values in the training data ({@link StreamedMedian}). */
    MEDIAN,
    /** A value the user gives. */
    CONSTANT,
    /** The row is left out, and counted. */
    DROP;

    /** The name in the model file and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Imputation of(String label) {
        for (Imputation i : values()) {
            if (i.label().equals(label)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown imputation '" + label + "'; use none, mean, median, constant or drop");
    }

    /** Whether missing values are replaced by a fitted or given value (not rejected, not dropped). */
    public boolean fills() {
        return this == MEAN || this == MEDIAN || this == CONSTANT;
    }
}
