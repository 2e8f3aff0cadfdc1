package dev.segmenta.engine.cli;

import dev.segmenta.engine.data.BlockExecutor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Shared compute options: how many threads, and which kernel backend. */
public final class ComputeOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: all ${sys:segmenta.cores} cores). Results do not depend on it.")
    Integer threads;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Kernel backend: auto (best available, logged), scalar, simd, or another listed by "
                    + "'segmenta backends'. A backend named explicitly that cannot start is an error. Default: ${DEFAULT-VALUE}.")
    String backend;

    public int threads() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** A worker pool of {@code --threads} threads; a value below 1 is a usage error. */
    public BlockExecutor executor(CommandSpec spec) {
        Options.positive(spec, "--threads", threads());
        return new BlockExecutor(threads());
    }
}
