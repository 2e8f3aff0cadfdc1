package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a table block by block to a temporary file beside {@code target}; {@link #commit()} makes
 * it the target in one atomic rename (inside an {@link OutputTransaction}, when the transaction
 * publishes), and {@link #close()} without a commit deletes it. The target is therefore either
 * absent, its previous version, or complete.
 *
 * <p>The format follows the extension: {@code .parquet}/{@code .pq}, {@code .arrow}/{@code .feather}/
 * {@code .ipc} (Arrow IPC file), {@code .arrows} (Arrow IPC stream), {@code .csv}, {@code .csv.gz}.
 * Each block is written out before {@link #write} returns, so memory holds one block at a time.
 *
 * <p>Column values passed to {@link #write} by type: {@link ColumnType#INT64} {@code long[]} or
 * {@link IdColumn.Longs}; {@link ColumnType#UTF8} {@link IdColumn.Utf8} or {@code String[]};
 * {@link ColumnType#INT32} {@code int[]}; {@link ColumnType#FLOAT32} {@code float[]};
 * {@link ColumnType#FLOAT64} {@code double[]}; {@link ColumnType#TIMESTAMP} {@code long[]} (microseconds
 * since the epoch). Arrays may be longer than the block: the first
 * {@code rows} entries are written. Values are never null.
 *
 * <pre>{@code
 * try (TableWriter out = TableWriter.open(path, List.of(
 *         new Column("customer_id", source.idType()),
 *         new Column("segment", ColumnType.INT32),
 *         new Column("distance", ColumnType.FLOAT32)))) {
 *     out.write(batch.rows(), batch.ids(), segments, distances);
 *     out.commit();
 * }
 * }</pre>
 */
public abstract sealed class TableWriter implements AutoCloseable
        permits ArrowIpcTableWriter, ParquetTableWriter, CsvTableWriter {

    private final Path target;
    private final List<Column> schema;
    /** Where the content is written until {@link #commit()} renames it onto the target. */
    final Path temp;
    private boolean committed;
    private boolean closed;

    TableWriter(Path target, List<Column> schema, Path temp) {
        this.target = target;
        this.schema = schema;
        this.temp = temp;
    }

    /** The file extensions {@link #open} writes, for messages. */
    public static final String EXTENSIONS = TableFormat.KNOWN_EXTENSIONS;

    /** Whether {@link #open} can write {@code target}, judged by its extension; lets a command fail before long work. */
    public static boolean supports(Path target) {
        return TableFormat.of(target).isPresent();
    }

    /**
     * The fewest bytes a row of {@code schema} can take in {@code target}'s format before compression, so
     * a command can refuse to start a file its disk cannot hold: in Parquet and Arrow each value's own bytes
     * (the writers store plain values), in CSV the shortest text of a value and its separator (one digit,
     * {@code 1.0}, an ISO instant), for any values.
     *
     * @throws IllegalArgumentException for an unknown extension
     */
    public static long leastBytesPerRow(Path target, List<Column> schema) {
        TableFormat format = TableFormat.of(target).orElseThrow(() -> new IllegalArgumentException(
                target + ": unknown output type; use one of " + TableFormat.KNOWN_EXTENSIONS));
        boolean text = format == TableFormat.CSV || format == TableFormat.CSV_GZIP;
        long bytes = 0;
        for (Column column : schema) {
            bytes += switch (column.type()) {
                case INT64, TIMESTAMP, FLOAT64 -> text ? shortestText(column.type()) + 1 : 8;
                case INT32, FLOAT32 -> text ? shortestText(column.type()) + 1 : 4;
                case UTF8 -> text ? 1 : Integer.BYTES;
            };
        }
        return bytes;
    }

    private static int shortestText(ColumnType type) {
        return switch (type) {
            case FLOAT32, FLOAT64 -> "1.0".length();
            // Instant.toString leaves out zero seconds: 2024-01-01T00:00Z.
            case TIMESTAMP -> "2024-01-01T00:00Z".length();
            default -> 1;
        };
    }

    /** Whether {@code target}'s format compresses what {@link #leastBytesPerRow} counts (gzip'd CSV). */
    public static boolean compresses(Path target) {
        return TableFormat.of(target).orElse(null) == TableFormat.CSV_GZIP;
    }

    /**
     * Starts a table at {@code target} in the format its extension names.
     *
     * @throws IllegalArgumentException for an unknown extension, an empty schema or duplicate names
     * @throws IOException              when the temporary file cannot be created (e.g. no such directory)
     */
    public static TableWriter open(Path target, List<Column> schema) throws IOException {
        TableFormat format = TableFormat.of(target).orElseThrow(() -> new IllegalArgumentException(
                target + ": unknown output type; use one of " + TableFormat.KNOWN_EXTENSIONS));
        if (schema.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        if (schema.stream().map(Column::name).distinct().count() != schema.size()) {
            throw new IllegalArgumentException("column names must be unique: " + schema);
        }
        List<Column> columns = List.copyOf(schema);
        Path temp = AtomicFiles.createTemp(target);
        try {
            return switch (format) {
                case PARQUET -> new ParquetTableWriter(target, columns, temp);
                case ARROW_FILE -> new ArrowIpcTableWriter(target, columns, temp, false);
                case ARROW_STREAM -> new ArrowIpcTableWriter(target, columns, temp, true);
                case CSV -> new CsvTableWriter(target, columns, temp, false);
                case CSV_GZIP -> new CsvTableWriter(target, columns, temp, true);
            };
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw AtomicFiles.writeFailure(target, e);
        } catch (RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    public Path target() {
        return target;
    }

    public List<Column> schema() {
        return schema;
    }

    /**
     * Appends {@code rows} rows; {@code columns} holds one array per schema column, in order.
     *
     * @throws java.util.concurrent.CancellationException after Ctrl-C ({@link Cancellation})
     */
    public final void write(int rows, Object... columns) throws IOException {
        Cancellation.check();
        if (committed || closed) {
            throw new IllegalStateException(target + ": writer already " + (committed ? "committed" : "closed"));
        }
        if (columns.length != schema.size()) {
            throw new IllegalArgumentException("expected " + schema.size() + " columns " + schema + ", got " + columns.length);
        }
        for (int c = 0; c < columns.length; c++) {
            Column column = schema.get(c);
            int length = switch (columns[c]) {
                case long[] a when column.type() == ColumnType.INT64 || column.type() == ColumnType.TIMESTAMP -> a.length;
                case IdColumn.Longs a when column.type() == ColumnType.INT64 -> a.size();
                case IdColumn.Utf8 a when column.type() == ColumnType.UTF8 -> a.size();
                case String[] a when column.type() == ColumnType.UTF8 -> a.length;
                case int[] a when column.type() == ColumnType.INT32 -> a.length;
                case float[] a when column.type() == ColumnType.FLOAT32 -> a.length;
                case double[] a when column.type() == ColumnType.FLOAT64 -> a.length;
                case null, default -> throw new IllegalArgumentException("column '" + column.name() + "' is "
                        + column.type() + " but was given " + (columns[c] == null ? "null" : columns[c].getClass().getSimpleName()));
            };
            if (length < rows) {
                throw new IllegalArgumentException("column '" + column.name() + "' has " + length + " values, need " + rows);
            }
        }
        if (rows > 0) {
            try {
                writeBlock(rows, columns);
            } catch (IOException e) {
                throw AtomicFiles.writeFailure(target, e);
            }
        }
    }

    /** Completes the file and atomically replaces the target with it. */
    public final void commit() throws IOException {
        if (committed || closed) {
            throw new IllegalStateException(target + ": writer already " + (committed ? "committed" : "closed"));
        }
        try {
            finish();
            AtomicFiles.commit(temp, target);
        } catch (IOException e) {
            throw AtomicFiles.writeFailure(target, e);
        }
        committed = true;
    }

    /** Releases the writer; without a prior {@link #commit()} the partial output is deleted and the target untouched. */
    @Override
    public final void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release();
        } finally {
            if (!committed) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Writes one validated block. */
    abstract void writeBlock(int rows, Object[] columns) throws IOException;

    /** Writes what ends the format (footer, end-of-stream marker) and closes {@link #temp}, complete. */
    abstract void finish() throws IOException;

    /** Frees buffers and closes files; called once, after {@link #finish()} or instead of it. */
    abstract void release() throws IOException;
}
