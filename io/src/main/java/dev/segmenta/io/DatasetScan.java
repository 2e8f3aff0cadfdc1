package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.jni.ReservationListener;
import org.apache.arrow.dataset.scanner.FragmentScanOptions;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A scan of one file through Arrow's native dataset library (Parquet, CSV), owning the native
 * factory, dataset and scanner behind the {@link ArrowReader} it hands out. Native failures arrive
 * as plain {@link RuntimeException}s whose message the format classes translate.
 *
 * <p>The native decoder's memory is outside the Java heap and its limit, so each scan gets a pool
 * with a budget ({@link #budget}): a corrupt file whose pages claim gigabytes then fails as a bad file
 * instead of growing the process until the operating system kills it (found by fuzzing the Parquet
 * reader: one such file took the process to 22 GB).
 */
final class DatasetScan implements AutoCloseable {

    /** The least native memory a scan may use, whatever the file's size. */
    static final long MIN_BUDGET = 1L << 30;
    /** Native memory a scan may use per byte of the file, beyond {@link #MIN_BUDGET}. */
    static final int BUDGET_PER_FILE_BYTE = 8;

    private final FileSystemDatasetFactory factory;
    private final Dataset dataset;
    private final Scanner scanner;
    private final ArrowReader reader;
    private final NativeMemoryPool pool;

    private DatasetScan(FileSystemDatasetFactory factory, Dataset dataset, Scanner scanner, ArrowReader reader,
                        NativeMemoryPool pool) {
        this.factory = factory;
        this.dataset = dataset;
        this.scanner = scanner;
        this.reader = reader;
        this.pool = pool;
    }

    /**
     * The native memory one scan of {@code file} may hold at once: {@value #BUDGET_PER_FILE_BYTE} bytes per
     * byte of the file, at least {@link #MIN_BUDGET}. A scan holds a few decoded pages of the selected
     * columns at a time, far less than the whole file decoded.
     */
    static long budget(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            size = 0;
        }
        return Math.max(MIN_BUDGET, size > Long.MAX_VALUE / BUDGET_PER_FILE_BYTE ? Long.MAX_VALUE : size * BUDGET_PER_FILE_BYTE);
    }

    /** The file's schema, as the native reader infers it (for CSV: from the first 1 MiB block). */
    static Schema inspect(BufferAllocator allocator, Path file, FileFormat format,
                          Optional<FragmentScanOptions> formatOptions) {
        try (NativeMemoryPool pool = pool(budget(file));
             var factory = new FileSystemDatasetFactory(allocator, pool, format, file.toUri().toString(), formatOptions)) {
            return factory.inspect();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Scans {@code columns} in batches of at most {@code batchRows} rows. */
    static DatasetScan open(BufferAllocator allocator, Path file, FileFormat format,
                            Optional<FragmentScanOptions> formatOptions, List<String> columns, int batchRows) {
        return open(allocator, file, format, formatOptions, columns, batchRows, budget(file));
    }

    /** {@link #open} with a given native memory budget (tests). */
    static DatasetScan open(BufferAllocator allocator, Path file, FileFormat format,
                            Optional<FragmentScanOptions> formatOptions, List<String> columns, int batchRows,
                            long budget) {
        NativeMemoryPool pool = pool(budget);
        FileSystemDatasetFactory factory;
        try {
            factory = new FileSystemDatasetFactory(allocator, pool, format, file.toUri().toString(), formatOptions);
        } catch (RuntimeException e) {
            ArrowTable.closeAfterFailure(e, pool);
            throw e;
        }
        Dataset dataset = null;
        Scanner scanner = null;
        try {
            dataset = factory.finish();
            // The format options given to the factory apply to the scan as well: passing them again
            // would make the native side import the CSV column types a second time.
            scanner = dataset.newScan(new ScanOptions.Builder(batchRows)
                    .columns(Optional.of(columns.toArray(String[]::new))).build());
            return new DatasetScan(factory, dataset, scanner, scanner.scanBatches(), pool);
        } catch (RuntimeException e) {
            ArrowTable.closeAfterFailure(e, scanner, dataset, factory, pool);
            throw e;
        }
    }

    private static NativeMemoryPool pool(long budget) {
        return NativeMemoryPool.createListenable(new Budget(budget));
    }

    /** Refuses a reservation that would take the scan's native memory past its budget. */
    private static final class Budget implements ReservationListener {
        private final long limit;
        private final AtomicLong reserved = new AtomicLong();

        Budget(long limit) {
            this.limit = limit;
        }

        @Override
        public void reserve(long size) {
            long now = reserved.addAndGet(size);
            if (now > limit) {
                reserved.addAndGet(-size);
                throw new IllegalStateException("decoding it would take more than " + (limit >> 20)
                        + " MB of native memory");
            }
        }

        @Override
        public void unreserve(long size) {
            reserved.addAndGet(-size);
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
        AutoCloseables.close(scanner, dataset, factory, pool);
    }
}
