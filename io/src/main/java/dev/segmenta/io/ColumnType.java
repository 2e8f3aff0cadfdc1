package dev.segmenta.io;

/** Column types the writers produce, and the two id types the readers report. */
public enum ColumnType {
    /** Whole-number customer ids (and row ordinals when a file has no id column). */
    INT64,
    /** String customer ids, and uint64 ids as their decimal text (they need not fit a signed long). */
    UTF8,
    INT32,
    FLOAT32,
    FLOAT64,
    /** An instant, as {@code long} microseconds since 1970-01-01T00:00Z: Arrow timestamp[us, UTC]; ISO-8601 in CSV. */
    TIMESTAMP;

    /** The type of a column that stores these ids. */
    public static ColumnType of(IdColumn ids) {
        return switch (ids) {
            case IdColumn.Longs l -> INT64;
            case IdColumn.Utf8 u -> UTF8;
        };
    }
}
