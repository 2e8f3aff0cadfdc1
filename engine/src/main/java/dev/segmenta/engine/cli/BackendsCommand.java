package dev.segmenta.engine.cli;

import dev.segmenta.kernels.BackendStatus;
import dev.segmenta.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Lists the kernel backends, whether each can run here, and why not. */
@Command(name = "backends",
        header = "List the kernel backends and whether each can run here.",
        description = "Shows which backend 'auto' picks, and for a backend that cannot run, why and how to fix it.",
        footer = {"", "A backend with devices (tornado) lists them below its line; pick one with fit/predict --device ID.",
                "", "Example:", "  segmenta backends"},
        mixinStandardHelpOptions = true)
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String chosen = Kernels.select(Kernels.AUTO).kernels().name();
        out.printf("%-10s %-9s %s%n", "backend", "available", "details");
        for (BackendStatus status : Kernels.describeAll()) {
            out.printf("%-10s %-9s %s%s%n", status.name(), status.available() ? "yes" : "no", status.detail(),
                    status.name().equals(chosen) ? "  <- auto" : "");
            for (String device : status.devices()) {
                out.printf("%-10s %-9s   device %s%n", "", "", device);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
