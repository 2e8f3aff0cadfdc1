package dev.segmenta.engine.bench;

/**
 * One line of a {@code segmenta bench} report. Rates and shares are {@code null} where they do not
 * apply (a bandwidth probe has no flops).
 *
 * @param benchmark       what ran, with its shape, e.g. {@code "Lloyd pass 1M x 8, k=8"}
 * @param backend         the kernel backend, or {@code "-"} for the machine's ceilings
 * @param device          what the backend ran on, as the backend describes it
 * @param runs            timed runs after the warm-up
 * @param medianMs        median time of a run
 * @param minMs           fastest run
 * @param maxMs           slowest run
 * @param pointsPerSecond customers processed per second
 * @param gbPerSecond     memory traffic per second ({@link KernelWork#bytes()})
 * @param gflopsPerSecond distance arithmetic per second ({@link KernelWork#flops()})
 * @param bandwidthShare  {@code gbPerSecond} over the measured read bandwidth
 * @param fmaShare        {@code gflopsPerSecond} over the measured FMA ceiling
 * @param note            anything else needed to read the line (iterations of a fit)
 */
public record BenchResult(String benchmark, String backend, String device, int runs, double medianMs, double minMs,
                          double maxMs, Double pointsPerSecond, Double gbPerSecond, Double gflopsPerSecond,
                          Double bandwidthShare, Double fmaShare, String note) {
}
