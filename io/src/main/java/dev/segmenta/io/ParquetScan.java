package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.hardwood.HardwoodContext;
import dev.hardwood.InputFile;
import dev.hardwood.metadata.LogicalType;
import dev.hardwood.reader.ColumnReader;
import dev.hardwood.reader.ColumnReaders;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.Validity;
import dev.hardwood.schema.ColumnProjection;
import dev.hardwood.schema.ColumnSchema;

/**
 * The columns a {@link ColumnRequest} picks from a Parquet file, decoded in Java by Hardwood one
 * batch at a time: Hardwood decodes the selected columns of a batch on all cores (a worker per
 * column, pages fetched ahead), and the sources copy each batch once, into their blocks.
 *
 * <p>What Arrow's native reader needed checked before it ran is checked here too, and still worth
 * it: the footer ({@link ParquetFooter}, unique names, at least one row), codecs this build lacks, page checksums and
 * page headers claiming more values than can be true ({@link ParquetPageChecksums}: Hardwood sizes
 * its arrays by them), and the row count at the end.
 */
final class ParquetScan implements AutoCloseable {

    /**
     * Hardwood logs its choice of SIMD decoders at INFO on first use; a command's stderr is for its
     * own messages. Held here: a logger referenced only weakly forgets the level set on it.
     */
    private static final Logger HARDWOOD_LOG = Logger.getLogger("dev.hardwood");

    static {
        HARDWOOD_LOG.setLevel(Level.WARNING);
    }

    /** Rows per Hardwood batch at least: tiny blocks (tests use 2) would make its per-batch work dominate. */
    private static final int MIN_BATCH_ROWS = 4096;

    /** How a numeric column's values are read: by their Parquet physical and logical types. */
    enum Kind { FLOAT, DOUBLE, INT, UINT32, LONG, UINT64, FLOAT16, DECIMAL, TEXT, OTHER }

    private final Path file;
    private final ParquetFooter footer;
    private final HardwoodContext context;
    private final ParquetFileReader reader;
    private final List<String> projection;
    private final int batchSize;
    /** Hardwood's column workers, started at the first use of a column. */
    private ColumnReaders batches;

    private int batchRows;
    private int batchRow;
    private long rowsLoaded;
    private boolean exhausted;

    private ParquetScan(Path file, ParquetFooter footer, HardwoodContext context, ParquetFileReader reader,
                        List<String> projection, int batchSize) {
        this.file = file;
        this.footer = footer;
        this.context = context;
        this.reader = reader;
        this.projection = projection;
        this.batchSize = batchSize;
    }

    /** A scan and the columns its request resolved to. */
    record Opened<C>(ParquetScan scan, C columns) { }

    /** Opens the columns {@code request} picks, for blocks of {@code blockRows}; the file passed {@link ArrowTable#checkFile}. */
    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int blockRows) {
        ParquetFooter footer = checkedFooter(file);
        HardwoodContext context = HardwoodContext.create(Runtime.getRuntime().availableProcessors());
        ParquetFileReader reader = null;
        try {
            try {
                reader = ParquetFileReader.open(InputFile.of(file), context);
            } catch (IOException | RuntimeException e) {
                throw unreadable(file, e);
            }
            C columns = request.resolve(file, ParquetSchemas.toArrow(reader.getFileSchema()));
            List<String> projection = request.projection(columns);
            Set<String> read = Set.copyOf(projection);
            checkCodecs(file, footer, read);
            ParquetPageChecksums.verify(file, footer, read);
            return new Opened<>(new ParquetScan(file, footer, context, reader, List.copyOf(projection),
                    Math.max(blockRows, MIN_BATCH_ROWS)), columns);
        } catch (RuntimeException e) {
            closeAll(e, reader, context);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** From the footer, whose row counts {@link ParquetFooter#read} checked against its row groups. */
    long rows() {
        return footer.rows();
    }

    ParquetFooter footer() {
        return footer;
    }

    /** The file's metadata and schema as Hardwood read them. */
    ParquetFileReader reader() {
        return reader;
    }

    /** A column of the projection; its arrays hold the current batch. */
    ColumnReader column(String name) {
        return batches().getColumnReader(name);
    }

    private ColumnReaders batches() {
        if (batches == null) {
            try {
                batches = reader.buildColumnReaders(ColumnProjection.columns(projection.toArray(String[]::new)))
                        .batchSize(batchSize).build();
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
        }
        return batches;
    }

    /** How the values of a numeric, id or text column are read. */
    static Kind kind(ColumnSchema column) {
        LogicalType logical = column.logicalType();
        if (logical instanceof LogicalType.DecimalType) {
            return Kind.DECIMAL;
        }
        boolean unsigned = logical instanceof LogicalType.IntType i && !i.isSigned();
        return switch (column.type()) {
            case FLOAT -> Kind.FLOAT;
            case DOUBLE -> Kind.DOUBLE;
            // uint8 and uint16 arrive zero-extended; a uint32 fills the int's sign bit.
            case INT32 -> unsigned && ((LogicalType.IntType) logical).bitWidth() == 32 ? Kind.UINT32 : Kind.INT;
            case INT64 -> unsigned ? Kind.UINT64 : Kind.LONG;
            case FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalType.Float16Type ? Kind.FLOAT16 : Kind.OTHER;
            case BYTE_ARRAY -> Kind.TEXT;
            default -> Kind.OTHER;
        };
    }

    /**
     * The footer of {@code file}, checked before any decoder trusts it (see {@link ParquetFooter#read}),
     * with unique column names and at least one row.
     */
    private static ParquetFooter checkedFooter(Path file) {
        ParquetFooter footer;
        try {
            footer = ParquetFooter.read(file);
        } catch (ThriftCompactReader.Malformed e) {
            throw new BadInputException(file + ": not a readable Parquet file (" + e.getMessage()
                    + "); it may be truncated or corrupt, re-export it", e);
        }
        checkUniqueNames(file, footer.columns());
        if (footer.rows() == 0) {
            throw new BadInputException(file + ": has no data rows; give a file with at least one row");
        }
        return footer;
    }
    /** Fails when the pages held other than the rows the footer declares. */
    private static void checkRows(Path file, ParquetFooter footer, long rows) {
        if (rows != footer.rows()) {
            throw new BadInputException(file + ": not a readable Parquet file (its footer declares " + footer.rows()
                    + " rows but its pages hold " + rows + "); it may be truncated or corrupt, re-export it");
        }
    }
    /** Arrow refused two columns of one name as "duplicate field names", without naming the column; Hardwood takes the first. */
    private static void checkUniqueNames(Path file, List<String> columns) {
        Set<String> seen = new HashSet<>();
        for (String name : columns) {
            if (name != null && !seen.add(name)) {
                throw new BadInputException(file + ": column name '" + name + "' appears more than once; rename the duplicates");
            }
        }
    }
    /**
     * The codecs this build lacks (Hardwood would need brotli4j, which it leaves out; nothing here reads
     * LZO), for the columns read: an unused column may have any codec. Named, because a decoder's
     * failure for want of one read as a corrupt file.
     */
    private static void checkCodecs(Path file, ParquetFooter footer, Set<String> read) {
        for (ParquetFooter.RowGroup group : footer.rowGroups()) {
            for (ParquetFooter.ColumnChunk chunk : group.columns()) {
                String codec = chunk.codec() < ParquetFooter.CODECS.size() ? ParquetFooter.CODECS.get(chunk.codec()) : null;
                if (read.contains(chunk.column()) && ("BROTLI".equals(codec) || "LZO".equals(codec))) {
                    throw new BadInputException(file + ": column '" + chunk.column() + "' is compressed with " + codec
                            + ", which this build cannot decompress; re-export it with snappy, zstd, gzip or lz4 compression");
                }
            }
        }
    }

    /** Receives one slice of the current batch. */
    @FunctionalInterface
    interface Slice {
        /**
         * @param from  the slice's first row in the batch
         * @param count its rows
         * @param at    how many rows this {@link #read} handed out before it
         */
        void accept(int from, int count, int at);
    }

    /**
     * Hands out the next rows, up to {@code rows} of them, as slices of as many batches as it takes;
     * returns how many (fewer only at the end of the file, 0 after it). Blocks are so cut at
     * multiples of their size wherever Hardwood's batches end, as {@link ArrowTable#read} cuts them.
     */
    int read(int rows, Slice slice) {
        int filled = 0;
        while (filled < rows && (batchRow < batchRows || loadBatch())) {
            int n = Math.min(rows - filled, batchRows - batchRow);
            slice.accept(batchRow, n, filled);
            filled += n;
            batchRow += n;
        }
        return filled;
    }

    private boolean loadBatch() {
        if (exhausted) {
            return false;
        }
        Cancellation.check();
        try {
            while (batches().nextBatch()) {
                batchRows = batches.getRecordCount();
                batchRow = 0;
                if (batchRows > 0) {
                    rowsLoaded += batchRows;
                    return true;
                }
            }
        } catch (BadInputException | CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            // A read cut short by Ctrl-C (a worker interrupted) is no bad input.
            Cancellation.check();
            throw unreadable(file, e);
        }
        exhausted = true;
        checkRows(file, footer, rowsLoaded);
        return false;
    }

    /**
     * Appends the ids in rows {@code [from, from + count)} of the batch's {@code ids} column; a null
     * or empty id fails, naming its row ({@code firstOrdinal} is the 0-based ordinal of row {@code from}).
     */
    void appendIds(IdBuffer buffer, ColumnReader ids, int from, int count, long firstOrdinal) {
        Kind kind = kind(ids.getColumnSchema());
        Validity validity = ids.getLeafValidity();
        int[] ints = kind == Kind.INT || kind == Kind.UINT32 ? ids.getInts() : null;
        long[] longs = kind == Kind.LONG || kind == Kind.UINT64 ? ids.getLongs() : null;
        byte[] text = kind == Kind.TEXT ? ids.getBinaryValues() : null;
        int[] offsets = kind == Kind.TEXT ? ids.getBinaryOffsets() : null;
        for (int k = 0; k < count; k++) {
            int row = from + k;
            // An empty string is as much a missing id as a null (as CSV reads an empty cell).
            if (validity.isNull(row) || offsets != null && offsets[row + 1] == offsets[row]) {
                throw new BadInputException(file + ": row " + (firstOrdinal + k + 1) + ", column '"
                        + ids.getColumnSchema().name() + "' (the id) is empty; every row needs an id");
            }
            switch (kind) {
                case INT -> buffer.append(ints[row]);
                case UINT32 -> buffer.append(Integer.toUnsignedLong(ints[row]));
                case LONG -> buffer.append(longs[row]);
                // uint64 ids are kept as their decimal text (see FeatureColumns.idType): never wrapped.
                case UINT64 -> buffer.appendText(Long.toUnsignedString(longs[row]));
                case TEXT -> buffer.append(text, offsets[row], offsets[row + 1] - offsets[row]);
                default -> throw new IllegalStateException("id type was checked at open: " + ids.getColumnSchema());
            }
        }
    }

    /**
     * A failure of Hardwood's as one line: its innermost cause says what is wrong ("CRC mismatch for
     * column x", "Unknown page type: 9"); the outer ones only where it was found.
     */
    static BadInputException unreadable(Path file, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String reason = message.lines().findFirst().orElse(cause.getClass().getSimpleName());
        int named = reason.indexOf("] ");
        if (reason.startsWith("[") && named > 0) {
            reason = reason.substring(named + 2);
        }
        return new BadInputException(file + ": not a readable Parquet file (" + reason
                + "); it may be truncated or corrupt, re-export it", e);
    }

    private static void closeAll(RuntimeException failure, AutoCloseable... opened) {
        for (AutoCloseable resource : opened) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    @Override
    public void close() {
        RuntimeException failure = new IllegalStateException(file + ": could not release the Parquet reader");
        closeAll(failure, batches, reader, context);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
