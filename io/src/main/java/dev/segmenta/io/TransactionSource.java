package dev.segmenta.io;

import java.nio.file.Path;

/**
 * A transaction log read block by block ({@link TransactionBatch}), never materialised whole: the
 * input of RFM. Same formats, file checks and errors as {@link FeatureSource}; a transaction with no
 * id, no or an unreadable timestamp, or a missing, non-finite or negative amount fails the read,
 * naming its row.
 *
 * <p>Memory per row in flight: the decoder's batch (the three columns at their file width; for
 * Parquet, Hardwood's batch and the pages it fetched ahead) and the block being filled (16 bytes plus the id).
 */
public interface TransactionSource extends AutoCloseable {

    /**
     * @throws BadInputException when the file is missing, unreadable, of an unknown kind, corrupt,
     *                           empty, or lacks the columns (or they have the wrong types)
     */
    static TransactionSource open(Path file, TransactionOptions options) {
        return ArrowTable.checkFile(file) == TableFormat.PARQUET ? ParquetTransactionSource.open(file, options)
                : ArrowTransactionSource.open(file, options);
    }

    Path file();

    /** {@link ColumnType#INT64} or {@link ColumnType#UTF8}. */
    ColumnType idType();

    /** The next block of at most {@code blockRows} transactions, or {@code null} after the last one. */
    TransactionBatch next();

    @Override
    void close();
}
