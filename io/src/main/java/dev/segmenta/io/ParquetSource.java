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
 * batch of at most {@code blockRows} rows at a time (plus the native reader's current row group).
 */
final class ParquetSource extends ArrowFeatureSource {

    private static final int COUNT_BATCH_ROWS = 1 << 20;

    private final BufferAllocator allocator;

    private ParquetSource(Path file, FeatureColumns columns, ReadOptions options, DatasetScan scan,
                          BufferAllocator allocator) {
        super(file, columns, options, scan.reader(), List.of(scan, allocator));
        this.allocator = allocator;
    }

    static ParquetSource open(Path file, ReadOptions options) {
        BufferAllocator allocator = Arrow.allocator().newChildAllocator("parquet " + file, 0, Long.MAX_VALUE);
        DatasetScan scan = null;
        ParquetSource source;
        try {
            Schema schema;
            try {
                schema = DatasetScan.inspect(allocator, file, FileFormat.PARQUET, Optional.empty());
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            FeatureColumns columns = FeatureColumns.resolve(file, schema, options);
            try {
                scan = DatasetScan.open(allocator, file, FileFormat.PARQUET, Optional.empty(), columns.projection(),
                        options.blockRows());
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            source = new ParquetSource(file, columns, options, scan, allocator);
        } catch (RuntimeException e) {
            closeAfterFailure(e, scan, allocator);
            throw e;
        }
        return started(source);
    }

    /** A scan of no columns: the native reader answers it from the row groups' metadata. */
    @Override
    public OptionalLong rowCount() {
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
