package dev.segmenta.io;

/**
 * The columns of a transaction log and how it is blocked.
 *
 * @param idColumn        the customer id (integers or strings)
 * @param timestampColumn an Arrow timestamp (any unit; with a time zone it is an instant, without one it
 *                        is read as UTC) or date, or ISO-8601 text (always so in CSV)
 * @param amountColumn    a non-negative number
 * @param blockRows       rows per {@link TransactionBatch}
 */
public record TransactionOptions(String idColumn, String timestampColumn, String amountColumn, int blockRows) {

    public TransactionOptions {
        for (String name : new String[] {idColumn, timestampColumn, amountColumn}) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("every transaction column needs a name");
            }
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be positive, got " + blockRows);
        }
    }

    /** {@code customer_id}, {@code timestamp}, {@code amount}, blocks of 16384 rows. */
    public static TransactionOptions defaults() {
        return new TransactionOptions(ReadOptions.DEFAULT_ID_COLUMN, "timestamp", "amount", ReadOptions.DEFAULT_BLOCK_ROWS);
    }

    public TransactionOptions withColumns(String id, String timestamp, String amount) {
        return new TransactionOptions(id, timestamp, amount, blockRows);
    }

    public TransactionOptions withBlockRows(int rows) {
        return new TransactionOptions(idColumn, timestampColumn, amountColumn, rows);
    }
}
