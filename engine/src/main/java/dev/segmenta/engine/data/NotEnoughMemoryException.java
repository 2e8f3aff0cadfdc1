package dev.segmenta.engine.data;

import java.util.Locale;

/**
 * The work would not fit in the heap this JVM may use. Thrown before the work starts when the need
 * can be estimated (from the file's row count), and in place of an {@link OutOfMemoryError} when it
 * could not. The message says how much is needed and how to get it; the CLI maps it to exit code 5.
 */
public final class NotEnoughMemoryException extends RuntimeException {

    public NotEnoughMemoryException(String message) {
        super(message);
    }

    /**
     * Throws unless {@code need} more bytes fit in what the heap has left.
     *
     * @param what    what needs them, starting the message ("customers.parquet: 1,000,000 customers x 8 features")
     * @param instead what else could be done, after giving the JVM more memory ("use --out-of-core")
     */
    public static void check(long need, String what, String instead) {
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (need > available) {
            throw new NotEnoughMemoryException(String.format(Locale.ROOT,
                    "%s need about %s of memory, but this JVM has %s left (of %s); give it more with SEGMENTA_JAVA_OPTS=%s, or %s",
                    what, size(need), size(available), size(runtime.maxMemory()),
                    heapSetting(Math.min(Long.MAX_VALUE - runtime.maxMemory(), need) + runtime.maxMemory() - available),
                    instead));
        }
    }

    /** The heap limit of this JVM ({@code -Xmx}, or the launcher's share of the machine). */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /** {@code bytes} as people read them: "512 MB", "5.6 GB". */
    public static String size(long bytes) {
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%d MB", Math.max(1, (bytes + (1 << 20) - 1) >> 20));
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
    }

    /** An {@code -Xmx} value that covers {@code bytes} of data plus the JVM's own overhead, in whole gigabytes. */
    public static String heapSetting(long bytes) {
        long gigabytes = Math.max(1, (long) Math.ceil(bytes * 1.25 / (1L << 30)));
        return "-Xmx" + gigabytes + "g";
    }
}
