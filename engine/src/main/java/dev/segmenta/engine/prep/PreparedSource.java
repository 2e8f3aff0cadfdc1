package dev.segmenta.engine.prep;

import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.IdColumn;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A file's blocks as a model sees them: rows with a missing value dropped or their gaps filled,
 * duplicate ids left out (by a {@link RowMask} decided in an earlier pass), log1p applied, in that
 * order; then cut again into full blocks of {@code blockRows}, so that the blocking, and with it
 * every block-ordered sum, does not depend on which rows were left out. Block {@code firstRow}s count
 * the rows handed out, not the file's rows (error messages name the file's rows).
 *
 * <p>A trailing weight column, if any, is carried along unprepared and checked: present, not negative.
 *
 * <p>Memory: one block of the file and one prepared block.
 */
final class PreparedSource implements FeatureSource {

    private final FeatureSource raw;
    private final RowMask keep;
    private final String weightColumn;
    private final int d;
    private final int columns;
    private final int blockRows;
    private final boolean[] log1p;
    private final boolean drop;
    private final double[] fill;

    /** The current file block, its rows kept (ordinals within it), and how many of those are handed out. */
    private FeatureBatch current;
    private int[] kept = new int[0];
    private int keptCount;
    private int keptUsed;
    private long handedOut;
    private long rowsRead;
    private long droppedMissing;
    private long duplicates;
    private long imputed;

    /**
     * @param keep         the rows to keep, by file ordinal, or {@code null} for all (no de-duplication)
     * @param weightColumn the name of the trailing weight column, or {@code null} when there is none
     */
    PreparedSource(FeatureSource raw, Preparation preparation, RowMask keep, String weightColumn, int blockRows) {
        this.raw = raw;
        this.keep = keep;
        this.weightColumn = weightColumn;
        this.columns = raw.featureNames().size();
        this.d = weightColumn == null ? columns : columns - 1;
        this.blockRows = blockRows;
        this.log1p = new boolean[d];
        for (String name : preparation.log1p()) {
            log1p[raw.featureNames().indexOf(name)] = true;
        }
        this.drop = preparation.imputation() == Imputation.DROP;
        this.fill = preparation.fill();
        for (int f = 0; f < d; f++) {
            if (log1p[f] && fill != null && !(fill[f] > -1)) {
                throw new BadInputException(file() + ": column '" + featureNames().get(f) + "' would be filled with "
                        + fill[f] + ", which log1p cannot take; leave the column out of --log1p or fill with a value above -1");
            }
        }
    }

    @Override
    public Path file() {
        return raw.file();
    }

    @Override
    public List<String> featureNames() {
        return raw.featureNames();
    }

    @Override
    public ColumnType idType() {
        return raw.idType();
    }

    @Override
    public boolean hasIdColumn() {
        return raw.hasIdColumn();
    }

    /** What this pass did so far; complete once {@link #next()} has returned {@code null}. */
    PreparationCounts counts() {
        return new PreparationCounts(rowsRead, droppedMissing, duplicates, imputed);
    }

    @Override
    public FeatureBatch next() {
        float[] values = null;
        long[] longIds = null;
        IdColumn.Utf8[] textParts = null;
        int filled = 0;
        int parts = 0;
        int[] partRows = null;
        while (filled < blockRows) {
            if (keptUsed == keptCount && !advance()) {
                break;
            }
            int n = Math.min(blockRows - filled, keptCount - keptUsed);
            if (filled == 0 && n == current.rows() && keptUsed == 0) {
                keptUsed = n;
                transform(current.values(), n);
                return handOut(new FeatureBatch(current.values(), n, columns, 0, current.ids()));
            }
            if (values == null) {
                values = new float[columns * blockRows];
                if (current.ids() instanceof IdColumn.Utf8) {
                    textParts = new IdColumn.Utf8[blockRows];
                    partRows = new int[blockRows];
                } else {
                    longIds = new long[blockRows];
                }
            }
            copyKept(values, filled, n);
            if (textParts != null) {
                textParts[parts] = gatherText((IdColumn.Utf8) current.ids(), keptUsed, n);
                partRows[parts++] = n;
            } else {
                long[] source = ((IdColumn.Longs) current.ids()).values();
                for (int k = 0; k < n; k++) {
                    longIds[filled + k] = source[kept[keptUsed + k]];
                }
            }
            keptUsed += n;
            filled += n;
        }
        if (filled == 0) {
            return null;
        }
        if (filled < blockRows) {
            float[] compacted = new float[columns * filled];
            for (int f = 0; f < columns; f++) {
                System.arraycopy(values, f * blockRows, compacted, f * filled, filled);
            }
            values = compacted;
        }
        transform(values, filled);
        IdColumn ids = textParts != null ? concat(textParts, parts, filled) : new IdColumn.Longs(longIds, filled);
        return handOut(new FeatureBatch(values, filled, columns, 0, ids));
    }

    private FeatureBatch handOut(FeatureBatch block) {
        FeatureBatch numbered = new FeatureBatch(block.values(), block.rows(), block.features(), handedOut, block.ids());
        handedOut += block.rows();
        return numbered;
    }

    /** Reads the next file block and decides which of its rows are kept; {@code false} at the end. */
    private boolean advance() {
        current = raw.next();
        if (current == null) {
            keptCount = 0;
            keptUsed = 0;
            return false;
        }
        int n = current.rows();
        float[] x = current.values();
        if (kept.length < n) {
            kept = new int[n];
        }
        keptCount = 0;
        keptUsed = 0;
        rowsRead += n;
        for (int i = 0; i < n; i++) {
            long ordinal = current.firstRow() + i;
            int missing = 0;
            for (int f = 0; f < d; f++) {
                if (Float.isNaN(x[f * n + i])) {
                    missing++;
                }
            }
            if (drop && missing > 0) {
                droppedMissing++;
                continue;
            }
            if (keep != null && !keep.get(ordinal)) {
                duplicates++;
                continue;
            }
            if (weightColumn != null) {
                float w = x[d * n + i];
                if (Float.isNaN(w)) {
                    throw new BadInputException(file() + ": row " + (ordinal + 1) + ", column '" + weightColumn
                            + "' is empty; weights cannot be imputed: fill it in or remove the row");
                }
                DatasetLoader.checkWeight(file(), weightColumn, ordinal, w);
            }
            for (int f = 0; f < d; f++) {
                float v = x[f * n + i];
                if (log1p[f] && v <= -1) {
                    throw new BadInputException(file() + ": row " + (ordinal + 1) + ", column '" + featureNames().get(f)
                            + "' is " + v + "; log1p needs values above -1: leave the column out of --log1p");
                }
            }
            imputed += missing;
            kept[keptCount++] = i;
        }
        return true;
    }

    /** Copies {@code n} kept rows of the current block, from the {@code keptUsed}-th, into {@code dst} at row {@code at}. */
    private void copyKept(float[] dst, int at, int n) {
        int rows = current.rows();
        float[] x = current.values();
        for (int f = 0; f < columns; f++) {
            int src = f * rows;
            int out = f * blockRows + at;
            for (int k = 0; k < n; k++) {
                dst[out + k] = x[src + kept[keptUsed + k]];
            }
        }
    }

    /** Fills gaps and applies log1p to a block of {@code rows} kept rows, in place. */
    private void transform(float[] x, int rows) {
        for (int f = 0; f < d; f++) {
            int base = f * rows;
            if (fill != null) {
                float value = (float) fill[f];
                for (int i = base; i < base + rows; i++) {
                    if (Float.isNaN(x[i])) {
                        x[i] = value;
                    }
                }
            }
            if (log1p[f]) {
                for (int i = base; i < base + rows; i++) {
                    x[i] = (float) Math.log1p(x[i]);
                }
            }
        }
    }

    private IdColumn.Utf8 gatherText(IdColumn.Utf8 ids, int first, int n) {
        int[] offsets = new int[n + 1];
        for (int k = 0; k < n; k++) {
            int row = kept[first + k];
            offsets[k + 1] = offsets[k] + ids.offsets()[row + 1] - ids.offsets()[row];
        }
        byte[] bytes = new byte[offsets[n]];
        for (int k = 0; k < n; k++) {
            int row = kept[first + k];
            System.arraycopy(ids.bytes(), ids.offsets()[row], bytes, offsets[k], offsets[k + 1] - offsets[k]);
        }
        return new IdColumn.Utf8(bytes, offsets, n);
    }

    private static IdColumn.Utf8 concat(IdColumn.Utf8[] parts, int count, int rows) {
        if (count == 1) {
            return parts[0];
        }
        int total = 0;
        for (int p = 0; p < count; p++) {
            total += parts[p].offsets()[parts[p].size()];
        }
        byte[] bytes = new byte[total];
        int[] offsets = new int[rows + 1];
        int row = 0;
        int at = 0;
        for (int p = 0; p < count; p++) {
            IdColumn.Utf8 part = parts[p];
            int length = part.offsets()[part.size()];
            System.arraycopy(part.bytes(), 0, bytes, at, length);
            for (int k = 1; k <= part.size(); k++) {
                offsets[row + k] = at + part.offsets()[k];
            }
            row += part.size();
            at += length;
        }
        return new IdColumn.Utf8(bytes, Arrays.copyOf(offsets, rows + 1), rows);
    }

    @Override
    public void close() {
        raw.close();
    }
}
