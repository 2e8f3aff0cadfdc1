package dev.segmenta.io;

/**
 * One block of a transaction log: who bought, when and for how much.
 *
 * @param ids        the customers' ids, {@code rows} of them
 * @param timestamps when: microseconds since 1970-01-01T00:00Z
 * @param amounts    how much, never negative
 * @param rows       transactions in this block
 * @param firstRow   zero-based ordinal of the block's first row in its file
 */
public record TransactionBatch(IdColumn ids, long[] timestamps, double[] amounts, int rows, long firstRow) { }
