package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The record batches of a CSV file, parsed in pure Java on every core: chunks of whole rows
 * ({@link CsvChunks}) are parsed in parallel ({@link CsvBlock}), a few ahead of the one being handed
 * out, and handed out in file order, so batches, row numbers and the first error reported are the same
 * whatever the thread count. A file of one chunk is parsed on the calling thread, with no pool started.
 */
final class CsvReader extends ArrowReader {

    /** Text per parsed chunk: large enough to keep the threads busy, small enough to keep few in memory. */
    static final int CHUNK_BYTES = 4 << 20;
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Path file;
    private final Schema schema;
    private final List<String> names;
    private final CsvBlock.Layout layout;
    private final CsvChunks chunks;
    private final int batchRows;
    private final ArrayDeque<Future<CsvBlock>> inFlight = new ArrayDeque<>();
    private CsvChunks.Chunk pending;
    private boolean chunksDone;
    private ExecutorService pool;
    private CsvBlock block;
    private int blockRow;
    /** Rows of the file in the blocks before {@link #block}. */
    private long rowsBefore;
    private long bytesRead;

    /**
     * @param names  the file's column names, for messages
     * @param first  the first rows after the header, read while the file was opened
     */
    CsvReader(BufferAllocator allocator, Path file, Schema schema, List<String> names, CsvBlock.Layout layout,
              CsvChunks chunks, CsvChunks.Chunk first, int batchRows) {
        super(allocator);
        this.file = file;
        this.schema = schema;
        this.names = names;
        this.layout = layout;
        this.chunks = chunks;
        this.pending = first;
        this.chunksDone = first.last();
        this.batchRows = batchRows;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        VectorSchemaRoot root = getVectorSchemaRoot();
        while (block == null || blockRow >= block.rows) {
            if (block != null) {
                if (block.failure != null) {
                    CsvBlock.Failure failure = block.failure;
                    throw new BadInputException(file + ": " + failure.message(rowsBefore + failure.row() + 1, names,
                            layout.width()));
                }
                rowsBefore += block.rows;
                block = null;
            }
            fill();
            if (inFlight.isEmpty()) {
                root.setRowCount(0);
                return false;
            }
            block = await(inFlight.poll());
            blockRow = 0;
            fill();
        }
        int n = Math.min(batchRows, block.rows - blockRow);
        load(root, block, blockRow, n);
        blockRow += n;
        return true;
    }

    /** Starts parsing chunks until a few are in flight (one per thread, and one more to hand out). */
    private void fill() {
        while (inFlight.size() < THREADS + 1 && (pending != null || !chunksDone)) {
            CsvChunks.Chunk chunk = pending;
            pending = null;
            if (chunk == null) {
                try {
                    chunk = chunks.next(CHUNK_BYTES);
                } catch (IOException | RuntimeException e) {
                    // Reported in file order, after the rows read before it.
                    chunksDone = true;
                    inFlight.add(CompletableFuture.failedFuture(e));
                    return;
                }
                if (chunk == null) {
                    chunksDone = true;
                    return;
                }
                chunksDone = chunk.last();
            }
            bytesRead += chunk.to() - chunk.from();
            CsvChunks.Chunk rows = chunk;
            if (pool == null && inFlight.isEmpty() && chunksDone) {
                inFlight.add(CompletableFuture.completedFuture(CsvBlock.parse(rows, layout, Integer.MAX_VALUE)));
            } else {
                inFlight.add(pool().submit(() -> CsvBlock.parse(rows, layout, Integer.MAX_VALUE)));
            }
        }
    }

    private ExecutorService pool() {
        if (pool == null) {
            int id = POOLS.incrementAndGet();
            AtomicInteger threads = new AtomicInteger();
            pool = Executors.newFixedThreadPool(THREADS, task -> {
                Thread thread = new Thread(task, "segmenta-csv-" + id + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return pool;
    }

    private static CsvBlock await(Future<CsvBlock> parsed) throws IOException {
        try {
            return parsed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Copies rows {@code [from, from + n)} of {@code block} into the batch's vectors. */
    private void load(VectorSchemaRoot root, CsvBlock block, int from, int n) {
        CsvBlock.Kind[] kinds = layout.kinds();
        for (int s = 0; s < kinds.length; s++) {
            if (kinds[s] == CsvBlock.Kind.DOUBLE) {
                Float8Vector vector = (Float8Vector) root.getVector(s);
                vector.allocateNew(n);
                vector.getDataBuffer().setBytes(0, block.doubles[s], from * Double.BYTES, (long) n * Double.BYTES);
                ArrowBuf validity = vector.getValidityBuffer();
                validity.setOne(0, (n + 7) / 8);
                int[] nulls = block.nulls[s];
                for (int k = 0; k < block.nullCounts[s]; k++) {
                    if (nulls[k] >= from && nulls[k] < from + n) {
                        BitVectorHelper.unsetBit(validity, nulls[k] - from);
                    }
                }
                vector.setValueCount(n);
            } else {
                VarCharVector vector = (VarCharVector) root.getVector(s);
                int[] offsets = block.offsets[s];
                int base = offsets[from];
                int bytes = offsets[from + n] - base;
                vector.allocateNew(Math.max(bytes, 1), n);
                vector.getDataBuffer().setBytes(0, block.text[s], base, bytes);
                ArrowBuf offsetBuffer = vector.getOffsetBuffer();
                for (int k = 0; k <= n; k++) {
                    offsetBuffer.setInt((long) k * VarCharVector.OFFSET_WIDTH, offsets[from + k] - base);
                }
                vector.getValidityBuffer().setOne(0, (n + 7) / 8);
                vector.setLastSet(n - 1);
                vector.setValueCount(n);
            }
        }
        root.setRowCount(n);
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    protected void closeReadSource() throws IOException {
        inFlight.forEach(parse -> parse.cancel(true));
        inFlight.clear();
        if (pool != null) {
            pool.shutdownNow();
        }
        chunks.close();
    }

    @Override
    protected Schema readSchema() {
        return schema;
    }
}
