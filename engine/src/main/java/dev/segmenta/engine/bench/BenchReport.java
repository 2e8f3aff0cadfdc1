package dev.segmenta.engine.bench;

import java.util.List;

/**
 * Everything {@code segmenta bench} measured, with what it ran on.
 *
 * @param version  Segmenta's version
 * @param machine  CPU, cores, memory, OS, JDK
 * @param threads  worker threads of every measurement
 * @param rows     customers per Lloyd pass and fit
 * @param results  the ceilings first, then each backend's lines
 */
public record BenchReport(String version, MachineInfo machine, int threads, long rows, List<BenchResult> results) {
}
