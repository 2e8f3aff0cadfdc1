package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;

/**
 * Agreement of two labelings of the same customers, corrected for chance: 1 for identical partitions
 * (up to renaming the labels), about 0 for independent ones.
 */
@Reference(authors = "L. Hubert, P. Arabie",
        title = "Comparing partitions",
        booktitle = "Journal of Classification 2(1)",
        year = 1985,
        url = "https://doi.org/10.1007/BF01908075")
public final class AdjustedRandIndex {

    private final long[][] table;
    private long n;

    /** @param labelsA number of distinct labels in the first labeling (labels are 0..labelsA-1) */
    public AdjustedRandIndex(int labelsA, int labelsB) {
        table = new long[labelsA][labelsB];
    }

    /** Adds customers {@code [0, count)} of a block. */
    public void add(int[] a, int[] b, int count) {
        for (int i = 0; i < count; i++) {
            table[a[i]][b[i]]++;
        }
        n += count;
    }

    public double value() {
        double sumCells = 0;
        double[] rowSums = new double[table.length];
        double[] colSums = new double[table[0].length];
        for (int i = 0; i < table.length; i++) {
            for (int j = 0; j < table[i].length; j++) {
                long c = table[i][j];
                sumCells += pairs(c);
                rowSums[i] += c;
                colSums[j] += c;
            }
        }
        double sumRows = 0;
        for (double r : rowSums) {
            sumRows += pairs(r);
        }
        double sumCols = 0;
        for (double c : colSums) {
            sumCols += pairs(c);
        }
        double expected = sumRows * sumCols / pairs(n);
        double max = (sumRows + sumCols) / 2;
        if (max == expected) {
            return 1.0;
        }
        return (sumCells - expected) / (max - expected);
    }

    private static double pairs(double count) {
        return count * (count - 1) / 2;
    }
}
