package dev.segmenta.engine.cli;

import dev.segmenta.engine.KernelWarmup;
import dev.segmenta.kernels.KernelSelection;
import dev.segmenta.kernels.Kernels;
import picocli.CommandLine.Option;

/** Shared {@code --backend} option. */
public final class BackendOptions {

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = Kernels.AUTO,
            description = "Kernel backend: auto (best available, logged), scalar, simd, or another listed by "
                    + "'segmenta backends'. A backend named explicitly that cannot start is an error. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--device", paramLabel = "ID",
            description = "Device of a backend that has several (tornado): an id as 'segmenta backends' lists it, "
                    + "e.g. 0:0, or a piece of the device's name. Default: the backend's default device.")
    String device;

    /**
     * Resolves the backend before any long work, so a bad name fails at once, logs the choice, and
     * starts compiling its kernels in the background while the input is read.
     */
    KernelSelection select(OutputOptions output) {
        KernelSelection selection = Kernels.select(backend, device);
        output.progress("backend %s: %s", selection.kernels().name(), selection.reason());
        if (selection.kernels().benefitsFromJvmWarmup()) {
            KernelWarmup.start(selection.kernels());
        }
        return selection;
    }
}
