package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;

/**
 * The clusters still alive during an agglomerative clustering, in ascending slot order, and the
 * nearest-neighbour search over them that the chain algorithms repeat {@code O(n)} times.
 *
 * <p>Removed slots are skipped until they outnumber the live ones, then squeezed out, so a scan
 * costs {@code O(live)} amortised. Long scans are split into fixed chunks run in parallel; each
 * chunk keeps its first strict minimum and chunks are merged in order, which is the sequential
 * scan's answer whatever the thread count.
 */
final class ActiveClusters {

    /** Slots per parallel chunk: big enough that a chunk's work dwarfs the hand-off to a thread. */
    private static final int CHUNK = 8192;

    /** Scans {@code slots[from, to)} (skipping {@code x} and dead slots) and reports chunk {@code chunk}'s nearest. */
    @FunctionalInterface
    interface RangeScan {
        void scan(int[] slots, int from, int to, int x, Nearest out);
    }

    /** A chunk's best candidate so far: strict improvements only, so the first minimum wins. */
    static final class Nearest {
        int index = -1;
        double distance = Double.POSITIVE_INFINITY;

        void offer(int i, double dist) {
            if (dist < distance) {
                distance = dist;
                index = i;
            }
        }
    }

    private final boolean[] alive;
    private int[] slots;
    private int length;
    private int live;
    private final BlockExecutor executor;
    private Nearest[] chunks = new Nearest[0];

    ActiveClusters(int n, BlockExecutor executor) {
        this.alive = new boolean[n];
        this.slots = new int[n];
        for (int i = 0; i < n; i++) {
            alive[i] = true;
            slots[i] = i;
        }
        this.length = n;
        this.live = n;
        this.executor = executor;
    }

    boolean alive(int slot) {
        return alive[slot];
    }

    /** The lowest live slot (where scipy starts a new chain). */
    int first() {
        for (int i = 0; i < length; i++) {
            if (alive[slots[i]]) {
                return slots[i];
            }
        }
        throw new IllegalStateException("no cluster left");
    }

    void remove(int slot) {
        alive[slot] = false;
        live--;
        if (length - live > live) {
            int kept = 0;
            for (int i = 0; i < length; i++) {
                if (alive[slots[i]]) {
                    slots[kept++] = slots[i];
                }
            }
            length = kept;
        }
    }

    /**
     * The live cluster nearest to {@code x} other than {@code x}; starts from {@code previous} at
     * {@code current} (the chain's previous cluster, or -1 and +∞), which therefore wins ties.
     */
    Nearest nearest(int x, int previous, double current, RangeScan scan) {
        int count = (length + CHUNK - 1) / CHUNK;
        if (chunks.length < count) {
            chunks = new Nearest[count];
        }
        for (int c = 0; c < count; c++) {
            chunks[c] = new Nearest();
        }
        if (count == 1 || executor.threads() == 1) {
            scan.scan(slots, 0, length, x, chunks[0]);
            count = 1;
        } else {
            int[] s = slots;
            int len = length;
            executor.forEachBlock(count, c -> scan.scan(s, c * CHUNK, Math.min(len, (c + 1) * CHUNK), x, chunks[c]));
        }
        Nearest best = new Nearest();
        best.index = previous;
        best.distance = current;
        for (int c = 0; c < count; c++) {
            if (chunks[c].index >= 0) {
                best.offer(chunks[c].index, chunks[c].distance);
            }
        }
        return best;
    }
}
