package dev.segmenta.io;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * A stream of {@link FeatureBatch} blocks read from one table file, never materialised whole.
 *
 * <p>Values are converted to float32: doubles, 64-bit integers and decimals are narrowed, so they
 * keep about 7 significant digits (integers are exact up to 2^24 = 16,777,216; unsigned integers are
 * read as unsigned, float16 widened). A finite double
 * beyond the float range becomes ±Inf and is rejected like any non-finite value.
 *
 * <p>Peak memory while reading, per row in flight: the current Arrow batch (at most
 * {@code blockRows} rows of the projected columns at their file width, e.g. 8 bytes per double,
 * plus the id) and the block being filled ({@code 4 * features} bytes plus 8 bytes per numeric id,
 * or the id's UTF-8 length plus 4). Parquet adds the decoded row groups read ahead (one per core and one more); CSV
 * its chunks in flight (one per core and one more, 4 MiB of text each, with their parsed columns). Each call to {@link #next()} returns fresh arrays that the caller owns.
 *
 * <p>Errors in the data (null, NaN, a bad CSV cell) surface from {@link #next()} at the block that
 * holds them, as a {@link BadInputException} naming the row; problems with the file or its columns
 * surface from {@link #open}.
 */
public interface FeatureSource extends AutoCloseable {

    /**
     * Opens {@code file} with the reader its extension names: {@code .parquet}/{@code .pq},
     * {@code .arrow}/{@code .feather}/{@code .ipc}/{@code .arrows} (Arrow IPC; file or stream told
     * apart by the magic bytes), {@code .csv}/{@code .csv.gz}.
     *
     * @throws BadInputException    when the file is missing, of an unknown kind, corrupt, empty, or
     *                              lacks the requested columns
     * @throws UncheckedIOException when it exists but this process may not read it
     */
    static FeatureSource open(Path file, ReadOptions options) {
        return ArrowTable.checkFile(file) == TableFormat.PARQUET ? ParquetFeatureSource.open(file, options)
                : ArrowFeatureSource.open(file, options);
    }

    Path file();

    /** The feature columns in block order: feature {@code f} of a batch is named {@code featureNames().get(f)}. */
    List<String> featureNames();

    /** {@link ColumnType#INT64} or {@link ColumnType#UTF8}: the type of every batch's {@link FeatureBatch#ids()}. */
    ColumnType idType();

    /** Whether the ids come from an id column; without one they are row ordinals. */
    boolean hasIdColumn();

    /**
     * How many rows the file holds, for estimating the memory a command will need before it reads
     * them: exact for Parquet (its footer) and Arrow IPC (its batch headers, read without the data),
     * an estimate from the first megabyte for CSV; empty where it is not known. Costs a look at the
     * file's metadata, not a read of it.
     */
    default OptionalLong rowCount() {
        return OptionalLong.empty();
    }

    /** The next block of at most {@code blockRows} rows, or {@code null} after the last one. */
    FeatureBatch next();

    @Override
    void close();
}
