package dev.segmenta.engine.cli;

import dev.segmenta.engine.data.BlockExecutor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Shared {@code --threads} option. */
public final class ThreadOptions {

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads (default: all ${sys:segmenta.cores} cores). Results do not depend on it.")
    Integer threads;

    public int threads() {
        return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /** A worker pool of {@code --threads} threads; a value below 1 is a usage error. */
    public BlockExecutor executor(CommandSpec spec) {
        Options.positive(spec, "--threads", threads());
        return new BlockExecutor(threads());
    }
}
