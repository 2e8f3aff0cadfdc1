package dev.segmenta.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads Parquet through Arrow's native dataset scanner, decoding only the selected columns, one
 * batch of at most {@code batchRows} rows at a time (plus the native reader's current row group).
 */
final class ParquetSource extends ArrowTable {

    private static final int COUNT_BATCH_ROWS = 1 << 20;

    private final BufferAllocator allocator;

    private ParquetSource(Path file, DatasetScan scan, BufferAllocator allocator) {
        super(file, scan.reader(), List.of(scan, allocator));
        this.allocator = allocator;
    }

    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int batchRows) {
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
            try {
                scan = DatasetScan.open(allocator, file, FileFormat.PARQUET, Optional.empty(),
                        request.projection(columns), batchRows);
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            return new Opened<>(new ParquetSource(file, scan, allocator), columns);
        } catch (RuntimeException e) {
            closeAfterFailure(e, scan, allocator);
            throw e;
        }
    }

    /** A scan of no columns: the native reader answers it from the row groups' metadata. */
    @Override
    OptionalLong rowCount() {
        try (DatasetScan scan = DatasetScan.open(allocator, file(), FileFormat.PARQUET, Optional.empty(), List.of(),
                COUNT_BATCH_ROWS); ArrowReader reader = scan.reader()) {
            long rows = 0;
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
            return OptionalLong.of(rows);
        } catch (Exception e) {
            throw unreadable(file(), e);
        }
    }

    @Override
    BadInputException decodeFailure(Exception failure) {
        return unreadable(file(), failure);
    }

    private static BadInputException unreadable(Path file, Exception e) {
        return new BadInputException(file + ": not a readable Parquet file (" + DatasetScan.nativeReason(e)
                + "); it may be truncated or corrupt, re-export it", e);
    }
}
