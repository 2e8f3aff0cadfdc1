package dev.segmenta.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * One file opened through its format's Arrow reader, handing out its record batches one at a time:
 * the part every reader shares, whatever it makes of the rows ({@link ArrowFeatureSource} float
 * blocks, {@link ArrowTransactionSource} transaction blocks). Subclasses open the format and translate
 * its failures; {@link ColumnRequest} says which columns are read and as what.
 */
abstract sealed class ArrowTable implements AutoCloseable permits ArrowIpcSource, CsvSource {

    private final Path file;
    private final ArrowReader reader;
    /** Closed after the reader, in this order (scanner, dataset, channel, allocator). */
    private final List<AutoCloseable> resources;

    /** The columns the request reads, whose layout every batch is checked for ({@link #checkLayout}). */
    private List<String> projection = List.of();
    private VectorSchemaRoot batch;
    private int batchRow;
    private long rowsLoaded;
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
     * is missing, of an unknown kind, corrupt, empty, or lacks the requested columns.
     *
     * @throws UncheckedIOException when the file exists but this process may not read it: the file may
     *                              be fine, so it is an I/O failure rather than bad input
     */
    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int batchRows) {
        TableFormat format = checkFile(file);
        Opened<C> opened = switch (format) {
            case PARQUET -> throw new IllegalStateException(file + ": Parquet is read by ParquetScan");
            case ARROW_FILE, ARROW_STREAM -> ArrowIpcSource.open(file, request);
            case CSV, CSV_GZIP -> CsvSource.open(file, request, batchRows);
        };
        opened.table().projection = request.projection(opened.columns());
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

    /**
     * The format of {@code file}, after the checks every reader makes first: it exists, is one regular
     * file of a known kind, may be read and is not empty.
     *
     * @throws UncheckedIOException when the file exists but this process may not read it
     */
    static TableFormat checkFile(Path file) {
        if (!Files.exists(file)) {
            throw new BadInputException(file + ": no such file; check the path");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(file + ": is a directory; give one data file (a partitioned dataset directory is not supported)");
        }
        if (!Files.isRegularFile(file)) {
            // A device or a pipe has no size to check and no end to seek to: /dev/zero read as 0 bytes.
            throw new BadInputException(file + ": is not a regular file (a device, a pipe or a socket); give a data file,"
                    + " or copy the stream to one first");
        }
        TableFormat format = TableFormat.of(file).orElseThrow(() -> new BadInputException(
                file + ": unknown file type; use one of " + TableFormat.KNOWN_EXTENSIONS));
        InputFiles.checkReadable(file);
        try {
            if (Files.size(file) == 0) {
                throw new BadInputException(file + ": is empty (0 bytes); give a file with a header (or schema) and data rows");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return format;
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

    /**
     * How many rows the file holds, for estimating the memory a command will need before it reads
     * them; empty where the format cannot say without reading the data. See {@link FeatureSource#rowCount()}.
     */
    OptionalLong rowCount() {
        return OptionalLong.empty();
    }

    /** Receives one slice of a record batch. */
    @FunctionalInterface
    interface Slice {
        /**
         * @param batch the record batch
         * @param from  the slice's first row in {@code batch}
         * @param count its rows
         * @param at    how many rows this {@link #read} handed out before it
         */
        void accept(VectorSchemaRoot batch, int from, int count, int at);
    }

    /**
     * Hands out the next rows, up to {@code rows} of them, as slices of as many record batches as it
     * takes; returns how many (fewer only at the end of the file, 0 after it).
     */
    int read(int rows, Slice slice) {
        int filled = 0;
        while (filled < rows) {
            // ">=": at the end of a file some readers empty the batch they reuse.
            if ((batch == null || batchRow >= batch.getRowCount()) && !loadBatch()) {
                break;
            }
            int n = Math.min(rows - filled, batch.getRowCount() - batchRow);
            slice.accept(batch, batchRow, n, filled);
            filled += n;
            batchRow += n;
        }
        return filled;
    }

    private boolean loadBatch() {
        if (exhausted) {
            return false;
        }
        // Ctrl-C stops a read here, between batches, so that the caller closes the reader (and its
        // pool, for CSV) before the process exits (see Cancellation).
        Cancellation.check();
        try {
            while (reader.loadNextBatch()) {
                batch = reader.getVectorSchemaRoot();
                batchRow = 0;
                if (batch.getRowCount() > 0) {
                    if (checksLayout()) {
                        checkLayout(batch);
                    }
                    rowsLoaded += batch.getRowCount();
                    return true;
                }
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // A read cut short by Ctrl-C (a channel closed by the interrupt) is no bad input.
            Cancellation.check();
            throw decodeFailure(e);
        }
        exhausted = true;
        checkEnd(rowsLoaded);
        return false;
    }

    /**
     * Whether each batch's buffers are checked ({@link #checkLayout}): they are for batches decoded from
     * a file's own buffers, which a corrupt file can make lie about their sizes.
     */
    boolean checksLayout() {
        return true;
    }

    /** Called once the reader has no more batches, with the rows it gave: fails if the file declared others. */
    void checkEnd(long rows) {
    }

    /**
     * Checks that every column read has one value per row of the batch and buffers that hold them
     * (and, for text, offsets inside the data), so that a corrupt file fails here instead of being
     * read past its buffers. Costs a look at each buffer's size, plus one pass over text offsets.
     */
    private void checkLayout(VectorSchemaRoot root) {
        for (String name : projection) {
            FieldVector vector = root.getVector(name);
            if (vector.getValueCount() != root.getRowCount()) {
                throw new IllegalStateException("column '" + name + "' has " + vector.getValueCount()
                        + " values in a batch of " + root.getRowCount() + " rows");
            }
            if (vector instanceof BaseVariableWidthVector || vector instanceof BaseLargeVariableWidthVector) {
                checkOffsets(name, vector);
                ValueVectorUtility.validateFull(vector);
            } else if (vector instanceof Float2Vector) {
                // Arrow's validator knows no float16 ("Unknown type for fixed width vector"), which
                // called a valid file corrupt; its two buffers are checked here instead.
                checkFixedWidth(name, vector, Float2Vector.TYPE_WIDTH);
            } else {
                ValueVectorUtility.validate(vector);
            }
        }
    }

    /** A fixed-width column's buffers hold a validity bit and {@code width} bytes for each of its values. */
    private static void checkFixedWidth(String name, FieldVector vector, int width) {
        long count = vector.getValueCount();
        if (vector.getValidityBuffer().capacity() < (count + 7) / 8 || vector.getDataBuffer().capacity() < count * width) {
            throw new IllegalStateException("column '" + name + "' has buffers too small for its " + count + " values");
        }
    }

    /**
     * The offsets of a text column start at 0 or more, never decrease and end inside its data: Arrow's
     * full validation copies each value into a new array before it checks its bounds, so one offset
     * far out of place made it allocate 67 MB for a 1 KB file, and could make it take 2 GB (found
     * by fuzzing).
     */
    private static void checkOffsets(String name, FieldVector vector) {
        boolean large = vector instanceof BaseLargeVariableWidthVector;
        int width = large ? 8 : 4;
        ArrowBuf offsets = vector.getOffsetBuffer();
        int count = vector.getValueCount();
        if (count == 0) {
            return;
        }
        if (offsets.capacity() < (long) (count + 1) * width) {
            throw new IllegalStateException("column '" + name + "' has too few offsets for its " + count + " values");
        }
        long end = vector.getDataBuffer().capacity();
        long previous = 0;
        for (int i = 0; i <= count; i++) {
            long offset = large ? offsets.getLong((long) i * width) : offsets.getInt((long) i * width);
            if (offset < previous || offset > end) {
                throw new IllegalStateException("column '" + name + "' has offset " + offset + " at value " + i
                        + ", outside its " + end + " bytes of text or before the one preceding it");
            }
            previous = offset;
        }
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
