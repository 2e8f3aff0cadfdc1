package dev.segmenta.engine.bench;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingTest {

    @Test
    void runsAtLeastTheMinimumAndAtMostTheMaximum() {
        AtomicInteger calls = new AtomicInteger();
        Timing t = Timing.measure(calls::incrementAndGet, 0, 0, 5, 7);
        assertEquals(5, t.runs());
        assertEquals(7, calls.get(), "two warm-up runs, then five timed");
        assertTrue(t.minNanos() <= t.medianNanos() && t.medianNanos() <= t.maxNanos());

        Timing capped = Timing.measure(() -> 1, 0, 60_000_000_000L, 1, 4);
        assertEquals(4, capped.runs(), "the maximum ends a long budget");
    }

    @Test
    void anOperationSlowerThanANonZeroBudgetIsTimedOnce() {
        Timing t = Timing.measure(() -> {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }, 0, 1_000_000, 3, 10);
        assertEquals(1, t.runs());
        assertTrue(t.medianNanos() >= 30_000_000);
    }

    @Test
    void rejectsImpossibleRunCounts() {
        assertThrows(IllegalArgumentException.class, () -> Timing.measure(() -> 0, 0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Timing.measure(() -> 0, 0, 0, 3, 2));
    }
}
