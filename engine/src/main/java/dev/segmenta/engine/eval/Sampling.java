package dev.segmenta.engine.eval;

import dev.segmenta.engine.Reference;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Uniform samples without replacement by Floyd's algorithm: {@code m} draws for {@code m} distinct
 * values of any range, in {@code O(m)} memory, so a sample of a billion rows costs only the sample.
 */
@Reference(authors = "J. Bentley, B. Floyd",
        title = "Programming pearls: a sample of brilliance",
        booktitle = "Communications of the ACM 30(9)",
        year = 1987,
        url = "https://doi.org/10.1145/30401.315746")
public final class Sampling {

    private Sampling() {
    }

    /** {@code count} distinct values of {@code [0, bound)}, each subset equally likely, in ascending order. */
    public static long[] distinctSorted(int count, long bound, SplittableRandom random) {
        if (count < 0 || count > bound) {
            throw new IllegalArgumentException("cannot draw " + count + " distinct values from " + bound);
        }
        Set<Long> picked = new HashSet<>();
        for (long top = bound - count; top < bound; top++) {
            long candidate = random.nextLong(top + 1);
            picked.add(picked.contains(candidate) ? top : candidate);
        }
        long[] sorted = picked.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }
}
