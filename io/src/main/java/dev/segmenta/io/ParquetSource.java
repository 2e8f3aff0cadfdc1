package dev.segmenta.io;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads Parquet through Arrow's native dataset scanner, decoding only the selected columns, one
 * batch of at most {@code batchRows} rows at a time (plus the native reader's current row group).
 * The footer is read and checked in Java first ({@link ParquetFooter}): the native decoder trusts
 * what it declares.
 */
final class ParquetSource extends ArrowTable {

    private final ParquetFooter footer;

    private ParquetSource(Path file, DatasetScan scan, BufferAllocator allocator, ParquetFooter footer) {
        super(file, scan.reader(), List.of(scan, allocator));
        this.footer = footer;
    }

    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int batchRows) {
        ParquetFooter footer = checkedFooter(file);
        BufferAllocator allocator = Arrow.allocator().newChildAllocator("parquet " + file, 0, Long.MAX_VALUE);
        DatasetScan scan = null;
        try {
            Schema schema;
            try {
                schema = DatasetScan.inspect(allocator, file, FileFormat.PARQUET, Optional.empty());
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            C columns = request.resolve(file, schema);
            Set<String> read = Set.copyOf(request.projection(columns));
            checkCodecs(file, footer, read);
            ParquetPageChecksums.verify(file, footer, read);
            try {
                scan = DatasetScan.open(allocator, file, FileFormat.PARQUET, Optional.empty(),
                        request.projection(columns), batchRows);
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            return new Opened<>(new ParquetSource(file, scan, allocator, footer), columns);
        } catch (RuntimeException e) {
            closeAfterFailure(e, scan, allocator);
            throw e;
        }
    }

    /** From the footer, whose row counts {@link ParquetFooter#read} checked against its row groups. */
    @Override
    OptionalLong rowCount() {
        return OptionalLong.of(footer.rows());
    }

    /**
     * The native decoder stops at the last page it finds, even short of the rows the footer declares
     * (a page header that lies about its values, a page of unknown type: found by fuzzing), so a
     * corrupt file would otherwise lose rows without a word.
     */
    @Override
    void checkEnd(long rows) {
        checkRows(file(), footer, rows);
    }

    /**
     * The footer of {@code file}, checked before any decoder trusts it (see {@link ParquetFooter#read}),
     * with unique column names and at least one row.
     */
    static ParquetFooter checkedFooter(Path file) {
        ParquetFooter footer;
        try {
            footer = ParquetFooter.read(file);
        } catch (ThriftCompactReader.Malformed e) {
            throw unreadable(file, e);
        }
        checkUniqueNames(file, footer.columns());
        if (footer.rows() == 0) {
            throw new BadInputException(file + ": has no data rows; give a file with at least one row");
        }
        return footer;
    }

    /** Fails when the pages held other than the rows the footer declares. */
    static void checkRows(Path file, ParquetFooter footer, long rows) {
        if (rows != footer.rows()) {
            throw new BadInputException(file + ": not a readable Parquet file (its footer declares " + footer.rows()
                    + " rows but its pages hold " + rows + "); it may be truncated or corrupt, re-export it");
        }
    }

    /** Arrow refuses two columns of one name as "duplicate field names", without naming the column. */
    private static void checkUniqueNames(Path file, List<String> columns) {
        Set<String> seen = new HashSet<>();
        for (String name : columns) {
            if (name != null && !seen.add(name)) {
                throw new BadInputException(file + ": column name '" + name + "' appears more than once; rename the duplicates");
            }
        }
    }

    /**
     * The codecs this build's readers lack (Arrow's native one says "Support for codec 'brotli' not
     * built", which came out as a corrupt file; Hardwood would need brotli4j, which this build leaves
     * out), for the columns read: an unused column may have any codec.
     */
    static void checkCodecs(Path file, ParquetFooter footer, Set<String> read) {
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

    @Override
    BadInputException decodeFailure(Exception failure) {
        return unreadable(file(), failure);
    }

    static BadInputException unreadable(Path file, Exception e) {
        return new BadInputException(file + ": not a readable Parquet file (" + DatasetScan.nativeReason(e)
                + "); it may be truncated or corrupt, re-export it", e);
    }
}
