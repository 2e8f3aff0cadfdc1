package dev.segmenta.io;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How a {@link FeatureSource} selects and blocks its columns.
 *
 * @param features         feature columns in this order, or {@code null} for every numeric column
 *                         (integers, floats, decimals) except the id column and {@code excluded}
 * @param excluded         columns left out of the default selection (ignored when {@code features}
 *                         names columns explicitly); the CLI passes {@code true_segment} here
 * @param idColumn         name of the id column; a file without it gets row ordinals as ids, unless
 *                         {@code idColumnRequired}
 * @param idColumnRequired whether a file without {@code idColumn} is an error: an id column named by the
 *                         user that the file lacks is a typo, not a request for row numbers
 * @param blockRows        rows per {@link FeatureBatch}; every block but the last is full, whatever
 *                         the file's row-group or batch layout, so results do not depend on how the
 *                         file was written
 * @param missing          which values in a feature count as missing (and arrive as NaN, for the engine's
 *                         imputation to fill) rather than fail the read
 * @param warnings         told, at each open, one line for each column the default feature selection
 *                         leaves out for its type ("column 'region' is text (Utf8); not used as a
 *                         feature"), so that no column goes missing from the features without a word
 */
public record ReadOptions(List<String> features, Set<String> excluded, String idColumn, boolean idColumnRequired,
                          int blockRows, Missing missing, Consumer<String> warnings) {

    /** What a null or NaN in a feature is. ±Inf is never missing: it always fails the read. */
    public enum Missing {
        /** Nulls and NaN fail the read, naming the row and column. */
        REJECT,
        /** Nulls arrive as NaN; a NaN in the data still fails the read. */
        NULLS,
        /** Nulls and NaN both arrive as NaN. */
        NULLS_AND_NAN
    }

    public static final String DEFAULT_ID_COLUMN = "customer_id";
    public static final int DEFAULT_BLOCK_ROWS = 16_384;

    public ReadOptions {
        features = features == null ? null : List.copyOf(features);
        excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
        if (idColumn == null || idColumn.isEmpty()) {
            throw new IllegalArgumentException("idColumn must be a column name");
        }
        if (missing == null) {
            throw new IllegalArgumentException("missing must be given");
        }
        if (warnings == null) {
            throw new IllegalArgumentException("warnings must be given");
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be positive, got " + blockRows);
        }
    }

    /**
     * All numeric columns but {@code customer_id}, blocks of 16384 rows, nulls and non-finite values
     * rejected, warnings dropped.
     */
    public static ReadOptions defaults() {
        return new ReadOptions(null, Set.of(), DEFAULT_ID_COLUMN, false, DEFAULT_BLOCK_ROWS, Missing.REJECT, warning -> { });
    }

    public ReadOptions withFeatures(List<String> names) {
        return new ReadOptions(names, excluded, idColumn, idColumnRequired, blockRows, missing, warnings);
    }

    public ReadOptions withExcluded(Set<String> names) {
        return new ReadOptions(features, names, idColumn, idColumnRequired, blockRows, missing, warnings);
    }

    /** Ids from the column {@code name} when the file has it, else row ordinals. */
    public ReadOptions withIdColumn(String name) {
        return new ReadOptions(features, excluded, name, false, blockRows, missing, warnings);
    }

    /** Ids from the column {@code name}, which the file must have. */
    public ReadOptions withRequiredIdColumn(String name) {
        return new ReadOptions(features, excluded, name, true, blockRows, missing, warnings);
    }

    public ReadOptions withBlockRows(int rows) {
        return new ReadOptions(features, excluded, idColumn, idColumnRequired, rows, missing, warnings);
    }

    public ReadOptions withMissing(Missing policy) {
        return new ReadOptions(features, excluded, idColumn, idColumnRequired, blockRows, policy, warnings);
    }

    public ReadOptions withWarnings(Consumer<String> sink) {
        return new ReadOptions(features, excluded, idColumn, idColumnRequired, blockRows, missing, sink);
    }
}
