package dev.segmenta.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.engine.bench.BenchReport;
import dev.segmenta.engine.bench.BenchResult;
import dev.segmenta.engine.bench.QuickBench;
import dev.segmenta.engine.data.NotEnoughMemoryException;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.kernels.BackendStatus;
import dev.segmenta.kernels.KernelSelection;
import dev.segmenta.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** A short, fixed benchmark of this machine and every backend it can run, printed as a table to paste. */
@Command(name = "bench",
        header = "Measure this machine and each kernel backend on a short, fixed benchmark.",
        description = {"Measures the machine's read bandwidth and FMA ceiling, then for each backend one Lloyd pass "
                + "over 1M x 8 customers with k=8 (bandwidth-bound) and over 1M x 32 with k=256 (compute-bound), and a "
                + "fit of 1M x 8 customers, k=8, 20 iterations. Each is warmed up, then timed for about 1.5 s (at least "
                + "3 runs); the median is reported with points/s, GB/s, GFLOP/s and their share of the ceilings. "
                + "Takes under a minute with the simd backend; the scalar backend adds about half a minute. "
                + "Prints a Markdown table (or JSON) to paste into a hardware report; progress goes to stderr.",
                "",
                "Memory: about 0.7 GB at the default --rows (a 256 MB bandwidth array, 1M x 32 and 2 x 1M x 8 customers). "
                        + "For the full JMH suites see docs/benchmarks.md."},
        footer = {"", "Examples:",
                "  segmenta bench",
                "  segmenta bench --backend simd --threads 1 --json"},
        mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--backend", split = ",", paramLabel = "NAME",
            description = "Backends to measure, comma-separated (see 'segmenta backends'). Default: every backend that "
                    + "starts here. A backend named explicitly that cannot start is an error.")
    List<String> backendNames;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "" + QuickBench.DEFAULT_ROWS,
            description = "Customers per Lloyd pass and fit. Keep the default for numbers comparable across machines. "
                    + "Default: ${DEFAULT-VALUE}.")
    long rows;

    @Option(names = "--json", description = "Print the report as JSON instead of a Markdown table.")
    boolean json;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        if (rows < QuickBench.MIN_ROWS) {
            throw new ParameterException(spec.commandLine(),
                    "--rows must be at least " + QuickBench.MIN_ROWS + " (the fit has k=8), got " + rows);
        }
        NotEnoughMemoryException.check(QuickBench.memory(rows), String.format(Locale.ROOT, "bench --rows %,d", rows),
                "ask for fewer --rows");
        List<KernelSelection> backends = backends();
        BenchReport report;
        try (BlockExecutor executor = threads.executor(spec)) {
            report = new QuickBench(rows, executor, backends, line -> output.progress("%s", line))
                    .run(Version.segmenta());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? JSON.writeValueAsString(report) + System.lineSeparator() : table(report));
        out.flush();
        return ExitCodes.OK;
    }

    private List<KernelSelection> backends() {
        List<KernelSelection> selected = new ArrayList<>();
        if (backendNames != null) {
            for (String name : backendNames) {
                selected.add(Kernels.select(name));
            }
            return selected;
        }
        for (BackendStatus status : Kernels.describeAll()) {
            if (status.available()) {
                selected.add(Kernels.select(status.name()));
            } else {
                output.progress("skipping backend %s: %s", status.name(), status.detail());
            }
        }
        return selected;
    }

    /** The report as Markdown: the machine, then one row per measurement. */
    static String table(BenchReport report) {
        StringBuilder s = new StringBuilder();
        s.append("| segmenta bench | ").append(report.version()).append(" |\n|---|---|\n");
        s.append("| machine | ").append(report.machine().cpu()).append(", ").append(report.machine().cores())
                .append(" cores, ").append(report.machine().memory()).append(" |\n");
        s.append("| OS | ").append(report.machine().os()).append(" |\n");
        s.append("| JDK | ").append(report.machine().jdk()).append(" |\n");
        s.append("| threads | ").append(report.threads()).append(" |\n\n");
        s.append("| benchmark | backend | device | median | runs | points/s | GB/s | GFLOP/s | of bandwidth | of FMA | notes |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchResult r : report.results()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s |%n",
                    r.benchmark(), r.backend(), r.device(), millis(r.medianMs()), r.runs(), points(r.pointsPerSecond()),
                    number(r.gbPerSecond()), number(r.gflopsPerSecond()), percent(r.bandwidthShare()),
                    percent(r.fmaShare()), r.note()));
        }
        return s.toString();
    }

    private static String millis(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static String points(Double perSecond) {
        return perSecond == null ? "" : number(perSecond / 1e6) + " M";
    }

    /** Three significant digits at most, no exponent: 255, 10.2, 0.171. */
    private static String number(Double value) {
        if (value == null) {
            return "";
        }
        String format = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : value >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }

    private static String percent(Double share) {
        return share == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }
}
