package dev.segmenta.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.FragmentScanOptions;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A scan of one file through Arrow's native dataset library (Parquet; CSV is read in Java by
 * {@link CsvReader}), owning the native
 * factory, dataset and scanner behind the {@link ArrowReader} it hands out. Native failures arrive
 * as plain {@link RuntimeException}s whose message the format classes translate.
 */
final class DatasetScan implements AutoCloseable {

    private final FileSystemDatasetFactory factory;
    private final Dataset dataset;
    private final Scanner scanner;
    private final ArrowReader reader;

    private DatasetScan(FileSystemDatasetFactory factory, Dataset dataset, Scanner scanner, ArrowReader reader) {
        this.factory = factory;
        this.dataset = dataset;
        this.scanner = scanner;
        this.reader = reader;
    }

    /** The file's schema, as the native reader reads it. */
    static Schema inspect(BufferAllocator allocator, Path file, FileFormat format,
                          Optional<FragmentScanOptions> formatOptions) {
        try (var factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(), format,
                file.toUri().toString(), formatOptions)) {
            return factory.inspect();
        }
    }

    /** Scans {@code columns} in batches of at most {@code batchRows} rows. */
    static DatasetScan open(BufferAllocator allocator, Path file, FileFormat format,
                            Optional<FragmentScanOptions> formatOptions, List<String> columns, int batchRows) {
        FileSystemDatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
                format, file.toUri().toString(), formatOptions);
        Dataset dataset = null;
        Scanner scanner = null;
        try {
            dataset = factory.finish();
            // The format options given to the factory apply to the scan as well: they are not passed again.
            scanner = dataset.newScan(new ScanOptions.Builder(batchRows)
                    .columns(Optional.of(columns.toArray(String[]::new))).build());
            return new DatasetScan(factory, dataset, scanner, scanner.scanBatches());
        } catch (RuntimeException e) {
            ArrowTable.closeAfterFailure(e, scanner, dataset, factory);
            throw e;
        }
    }

    ArrowReader reader() {
        return reader;
    }

    /**
     * The cause in a native error without the dataset layer's preamble ("Error creating dataset.
     * Could not read schema from '...'. Is this a 'parquet' file?: Could not open ... '...': ").
     */
    static String nativeReason(Exception e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        int cut = message.lastIndexOf("': ");
        return cut >= 0 ? message.substring(cut + 3) : message;
    }

    /** Closes the native objects; the reader is closed first by its {@link ArrowFeatureSource}. */
    @Override
    public void close() throws Exception {
        AutoCloseables.close(scanner, dataset, factory);
    }
}
