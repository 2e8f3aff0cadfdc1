package dev.segmenta.engine.data;

import dev.segmenta.io.Cancellation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs a task once per block on a fixed number of threads.
 *
 * <p>Threads claim blocks in order from a shared counter. Each task must write only to its own
 * block's outputs; callers merge those per-block results in block order, so the result is the same
 * for any thread count (see DESIGN.md, "Determinism").
 *
 * <p>Ctrl-C ({@link Cancellation}) stops the work between blocks: no new block starts, and
 * {@link #forEachBlock} throws {@link CancellationException} once the running ones are done.
 */
public final class BlockExecutor implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    public BlockExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "segmenta-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    public int threads() {
        return threads;
    }

    /** Calls {@code task.accept(b)} for every {@code b} in {@code [0, blockCount)} and waits for all of them. */
    public void forEachBlock(int blockCount, IntConsumer task) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int b = next.getAndIncrement(); b < blockCount; b = next.getAndIncrement()) {
                Cancellation.check();
                task.accept(b);
            }
        };
        if (pool == null || blockCount < 2) {
            worker.run();
            return;
        }
        int helpers = Math.min(threads - 1, blockCount - 1);
        List<Future<?>> futures = new ArrayList<>(helpers);
        for (int t = 0; t < helpers; t++) {
            futures.add(pool.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            failure = e;
            next.set(blockCount);
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    // Out of memory in a worker is the caller's out of memory: it must reach the CLI as such.
                    throw error;
                }
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next.set(blockCount);
                failure = new CancellationException("interrupted");
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
