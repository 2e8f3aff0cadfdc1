package dev.segmenta.spark;

import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.BackendUnavailableException;

/**
 * A task that rejects its input fails the whole job with a {@code SparkException} whose cause chain
 * holds the task's exception. The driver rethrows that one, so a bad value or an unavailable backend
 * reads the same on a cluster as in memory.
 */
final class SparkFailures {

    private SparkFailures() {
    }

    /** Rethrows the {@link BadInputException} or {@link BackendUnavailableException} behind {@code e}, else {@code e}. */
    static RuntimeException rethrow(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadInputException || cause instanceof BackendUnavailableException) {
                throw (RuntimeException) cause;
            }
        }
        throw SparkFailures.<RuntimeException>sneaky(e);
    }

    /** Scala code throws checked exceptions (such as {@code SparkException}) undeclared; so does this. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
