package dev.segmenta.engine.prep;

/**
 * What a preparation did to one pass over a file, for the summary (and, for the training data, the model).
 *
 * @param rowsRead          rows in the file
 * @param droppedMissing    rows left out for a missing value ({@code --impute drop})
 * @param duplicates        rows left out as another row of the same customer id ({@code --dedup})
 * @param valuesImputed     missing values filled in, in the rows kept
 */
public record PreparationCounts(long rowsRead, long droppedMissing, long duplicates, long valuesImputed) {

    /** Rows that went on to clustering or assignment. */
    public long rowsKept() {
        return rowsRead - droppedMissing - duplicates;
    }
}
