package dev.segmenta.io;

import java.lang.management.ManagementFactory;
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

import com.sun.management.OperatingSystemMXBean;

/**
 * A scan of one file through Arrow's native dataset library (Parquet, CSV), owning the native
 * factory, dataset and scanner behind the {@link ArrowReader} it hands out. Native failures arrive
 * as plain {@link RuntimeException}s whose message the format classes translate.
 *
 * <p>The native decoder's memory is outside the Java heap and its limit, so every scan decodes
 * through one pool with a budget ({@link #BUDGET}): a corrupt file whose pages claim gigabytes then
 * fails as a bad file instead of growing the process until the operating system kills it (found by
 * fuzzing the Parquet reader: one such file took the process to 22 GB). The pool lives as long as
 * the process, like Arrow's default one: buffers of a scan may be freed after the scan is closed, and
 * a pool closed before them takes the process down.
 */
final class DatasetScan implements AutoCloseable {

    /** The least native memory budget, whatever the machine. */
    static final long MIN_BUDGET = 1L << 30;
    /** All scans together may hold a quarter of the machine's memory (the heap may take 70%), at least {@link #MIN_BUDGET}. */
    static final long BUDGET = Math.max(MIN_BUDGET,
            ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 4);
    private static final NativeMemoryPool POOL = budgeted(BUDGET);

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

    /** A native pool that refuses reservations past {@code budget} bytes in all; it must outlive every buffer it gave. */
    static NativeMemoryPool budgeted(long budget) {
        return NativeMemoryPool.createListenable(new Budget(budget));
    }

    /** The file's schema, as the native reader infers it (for CSV: from the first 1 MiB block). */
    static Schema inspect(BufferAllocator allocator, Path file, FileFormat format,
                          Optional<FragmentScanOptions> formatOptions) {
        try (var factory = new FileSystemDatasetFactory(allocator, POOL, format, file.toUri().toString(), formatOptions)) {
            return factory.inspect();
        }
    }

    /** Scans {@code columns} in batches of at most {@code batchRows} rows. */
    static DatasetScan open(BufferAllocator allocator, Path file, FileFormat format,
                            Optional<FragmentScanOptions> formatOptions, List<String> columns, int batchRows) {
        return open(allocator, file, format, formatOptions, columns, batchRows, POOL);
    }

    /** {@link #open} through another pool (tests: a small budget). */
    static DatasetScan open(BufferAllocator allocator, Path file, FileFormat format,
                            Optional<FragmentScanOptions> formatOptions, List<String> columns, int batchRows,
                            NativeMemoryPool pool) {
        FileSystemDatasetFactory factory = new FileSystemDatasetFactory(allocator, pool, format,
                file.toUri().toString(), formatOptions);
        Dataset dataset = null;
        Scanner scanner = null;
        try {
            dataset = factory.finish();
            // The format options given to the factory apply to the scan as well: passing them again
            // would make the native side import the CSV column types a second time.
            scanner = dataset.newScan(new ScanOptions.Builder(batchRows)
                    .columns(Optional.of(columns.toArray(String[]::new))).build());
            return new DatasetScan(factory, dataset, scanner, scanner.scanBatches());
        } catch (RuntimeException e) {
            ArrowTable.closeAfterFailure(e, scanner, dataset, factory);
            throw e;
        }
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
                throw new IllegalStateException("decoding it would take more than the " + (limit >> 20)
                        + " MB of native memory that reads may hold, a quarter of this machine's memory");
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
        AutoCloseables.close(scanner, dataset, factory);
    }
}
