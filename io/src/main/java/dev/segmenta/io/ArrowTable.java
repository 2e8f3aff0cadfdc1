package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * One file opened through its format's Arrow reader, handing out its record batches one at a time:
 * the part every reader shares, whatever it makes of the rows ({@link ArrowFeatureSource} float
 * blocks, {@link ArrowTransactionSource} transaction blocks). Subclasses open the format and translate
 * its failures; {@link ColumnRequest} says which columns are read and as what.
 */
abstract sealed class ArrowTable implements AutoCloseable permits ParquetSource, ArrowIpcSource, CsvSource {

    private final Path file;
    private final ArrowReader reader;
    /** Closed after the reader, in this order (scanner, dataset, channel, allocator). */
    private final List<AutoCloseable> resources;

    private VectorSchemaRoot batch;
    private int batchRow;
    private boolean exhausted;

    ArrowTable(Path file, ArrowReader reader, List<AutoCloseable> resources) {
        this.file = file;
        this.reader = reader;
        this.resources = resources;
    }

    /** A table and the columns its request resolved to. */
    record Opened<C>(ArrowTable table, C columns) { }

    /**
     * Opens {@code file} with the reader its extension names, reading the columns {@code request}
     * picks from its schema, in batches of at most {@code batchRows}; fails at open for a file that
     * is missing, unreadable, of an unknown kind, corrupt, empty, or lacks the requested columns.
     */
    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int batchRows) {
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": no such file; check the path");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory; give one data file (a partitioned dataset directory is not supported)");
        }
        if (!Files.isReadable(file)) {
            throw new BadInputException(file + ": not readable; check its permissions");
        }
        TableFormat format = TableFormat.of(file).orElseThrow(() -> new BadInputException(
                file + ": unknown file type; use one of " + TableFormat.KNOWN_EXTENSIONS));
        Opened<C> opened = switch (format) {
            case PARQUET -> ParquetSource.open(file, request, batchRows);
            case ARROW_FILE, ARROW_STREAM -> ArrowIpcSource.open(file, request);
            case CSV, CSV_GZIP -> CsvSource.open(file, request, batchRows);
        };
        try {
            if (!opened.table().loadBatch()) {
                throw new BadInputException(file + ": has no data rows; give a file with at least one row");
            }
            return opened;
        } catch (RuntimeException e) {
            closeAfterFailure(e, opened.table());
            throw e;
        }
    }

    /** Translates a failure of the reader while decoding batches (a corrupt page, a bad CSV cell). */
    abstract BadInputException decodeFailure(Exception failure);

    /** Closes what an open created before it failed, keeping the original failure as the one thrown. */
    static void closeAfterFailure(RuntimeException failure, AutoCloseable... opened) {
        try {
            AutoCloseables.close(opened);
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    Path file() {
        return file;
    }

    /** The current batch; valid while {@link #available()} is positive. */
    VectorSchemaRoot batch() {
        return batch;
    }

    /** Index in {@link #batch()} of the next row to hand out. */
    int batchRow() {
        return batchRow;
    }

    /**
     * Rows left in the current batch, moving to the next non-empty batch when it is used up;
     * 0 at the end of the file.
     */
    int available() {
        if (batch != null && batchRow < batch.getRowCount()) {
            return batch.getRowCount() - batchRow;
        }
        return loadBatch() ? batch.getRowCount() : 0;
    }

    /** Marks {@code rows} rows of the current batch as handed out. */
    void advance(int rows) {
        batchRow += rows;
    }

    private boolean loadBatch() {
        if (exhausted) {
            return false;
        }
        try {
            while (reader.loadNextBatch()) {
                batch = reader.getVectorSchemaRoot();
                batchRow = 0;
                if (batch.getRowCount() > 0) {
                    return true;
                }
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw decodeFailure(e);
        }
        exhausted = true;
        return false;
    }

    @Override
    public void close() {
        try {
            AutoCloseables.close(reader);
            AutoCloseables.close(resources);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(file + ": could not release the reader", e);
        }
    }
}
