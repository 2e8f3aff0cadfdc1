package dev.segmenta.io;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The process's single Arrow {@link RootAllocator}. Every reader and writer takes child allocators
 * from it, so leaks show up as a non-zero {@link BufferAllocator#getAllocatedMemory()} here.
 */
public final class Arrow {

    private Arrow() {
    }

    /** Lazily created on first use (class-holder idiom: thread-safe without locking). */
    private static final class Holder {
        static final RootAllocator ROOT = new RootAllocator();
    }

    public static BufferAllocator allocator() {
        return Holder.ROOT;
    }
}
