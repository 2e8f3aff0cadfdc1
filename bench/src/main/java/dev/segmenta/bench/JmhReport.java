package dev.segmenta.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.bench.Ceilings;
import dev.segmenta.engine.bench.KernelWork;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the rates the suites are judged by: points/s,
 * GB/s and GFLOP/s of every kernel result, and their share of the read bandwidth and FMA ceiling
 * measured by {@link StreamBenchmark} in the same file at the same thread count; rows/s and MB/s of
 * the IO suite; and, with {@code --plots DIR}, PNG charts of Lloyd-pass throughput against N and k.
 * Work is counted by {@link KernelWork}, as in {@code segmenta bench}.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar -rf json -rff results.json
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.segmenta.bench.JmhReport \
 *     results.json --plots docs/img
 * </pre>
 * Without the Vector API module the FMA ceiling cannot be converted to GFLOP/s (its lane count is
 * unknown) and the FMA shares are left blank.
 */
public final class JmhReport {

    private static final String PACKAGE = "dev.segmenta.bench.";

    /** One JMH result: which benchmark, its parameters, its score in milliseconds per op (or ops/s for throughput). */
    record Result(String benchmark, Map<String, String> params, double score, double error, String unit,
                  Map<String, Double> secondary) {

        String param(String name, String fallback) {
            return params.getOrDefault(name, fallback);
        }

        long longParam(String name, long fallback) {
            return Long.parseLong(param(name, Long.toString(fallback)));
        }

        /** Seconds per operation, whatever the unit JMH reported it in. */
        double seconds() {
            return switch (unit) {
                case "s/op" -> score;
                case "ms/op" -> score / 1e3;
                case "us/op" -> score / 1e6;
                case "ns/op" -> score / 1e9;
                case "ops/s" -> 1 / score;
                default -> throw new IllegalArgumentException("unsupported JMH unit " + unit + " in " + benchmark);
            };
        }
    }

    private final List<Result> results;
    private final Map<Integer, Double> bandwidth = new TreeMap<>();
    private final Map<Integer, Double> fma = new TreeMap<>();

    JmhReport(List<Result> results) {
        this.results = results;
        Optional<String> noVector = Ceilings.vectorUnavailable();
        for (Result r : results) {
            int threads = (int) r.longParam("threads", 1);
            if (r.benchmark().equals("StreamBenchmark.readSum")) {
                bandwidth.put(threads, r.longParam("megabytes", Ceilings.DEFAULT_MEGABYTES) * (1L << 20) / 1e9 / r.seconds());
            } else if (r.benchmark().equals("StreamBenchmark.fmaPeak") && noVector.isEmpty()) {
                fma.put(threads, Ceilings.fmaFlops(threads) / 1e9 / r.seconds());
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && !(args.length == 3 && args[1].equals("--plots"))) {
            System.err.println("usage: JmhReport RESULTS.json [--plots DIR]");
            System.exit(2);
        }
        JmhReport report = new JmhReport(read(Path.of(args[0])));
        report.print(System.out);
        if (args.length == 3) {
            for (Path png : report.plots(Path.of(args[2]))) {
                System.out.println("wrote " + png);
            }
        }
    }

    static List<Result> read(Path json) throws IOException {
        List<Result> results = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(json.toFile())) {
            Map<String, String> params = new TreeMap<>();
            if (node.has("params")) {
                node.get("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            }
            Map<String, Double> secondary = new TreeMap<>();
            if (node.has("secondaryMetrics")) {
                node.get("secondaryMetrics").properties()
                        .forEach(e -> secondary.put(e.getKey(), e.getValue().get("score").asDouble()));
            }
            JsonNode primary = node.get("primaryMetric");
            String name = node.get("benchmark").asText();
            results.add(new Result(name.startsWith(PACKAGE) ? name.substring(PACKAGE.length()) : name, params,
                    primary.get("score").asDouble(), primary.get("scoreError").asDouble(),
                    primary.get("scoreUnit").asText(), secondary));
        }
        return results;
    }

    /** The work of one op of a kernel benchmark, or empty for the others. */
    static Optional<KernelWork> work(Result r) {
        long n = r.longParam("n", 0);
        int d = (int) r.longParam("d", 0);
        return switch (r.benchmark()) {
            case "AssignBenchmark.lloydPass" -> Optional.of(KernelWork.lloydPass(n, d, (int) r.longParam("k", 0)));
            case "NearestDistanceBenchmark.seedingStep" -> Optional.of(KernelWork.seedingStep(n, d));
            case "PairwiseBenchmark.pairwiseBlock" ->
                    Optional.of(KernelWork.pairwiseBlock(PairwiseBenchmark.ROWS, PairwiseBenchmark.ROWS, d));
            default -> Optional.empty();
        };
    }

    void print(PrintStream out) {
        out.println("| ceiling | threads | ms/op | rate |");
        out.println("|---|---|---|---|");
        for (Result r : select("StreamBenchmark.")) {
            int threads = (int) r.longParam("threads", 1);
            boolean read = r.benchmark().endsWith("readSum");
            Double rate = read ? bandwidth.get(threads) : fma.get(threads);
            out.printf(Locale.ROOT, "| %s | %d | %s | %s |%n", read ? "read bandwidth" : "FMA", threads,
                    score(r, 3), rate == null ? "(needs --add-modules=jdk.incubator.vector)"
                            : String.format(Locale.ROOT, "%.1f %s", rate, read ? "GB/s" : "GFLOP/s"));
        }
        out.println();
        out.println("| kernel | backend | threads | n | d | k | ms/op | M points/s | GB/s | of bandwidth | GFLOP/s | of FMA |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            Optional<KernelWork> work = work(r);
            if (work.isEmpty()) {
                continue;
            }
            int threads = (int) r.longParam("threads", 1);
            double s = r.seconds();
            double gb = work.get().gigabytesPerSecond(s);
            double gflops = work.get().gigaflopsPerSecond(s);
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %.1f | %.2f | %s | %.1f | %s |%n",
                    r.benchmark().substring(0, r.benchmark().indexOf('.')), r.param("backend", "-"), threads,
                    r.param("n", PairwiseBenchmark.ROWS + "²"), r.param("d", "-"), r.param("k", "-"), score(r, 3),
                    work.get().pointsPerSecond(s) / 1e6, gb, share(gb, bandwidth.get(threads)), gflops,
                    share(gflops, fma.get(threads)));
        }
        List<Result> fits = select("FitBenchmark.");
        if (!fits.isEmpty()) {
            out.println();
            out.println("| fit | backend | threads | n | d | k | true segments | ms/op |");
            out.println("|---|---|---|---|---|---|---|---|");
            for (Result r : fits) {
                out.printf(Locale.ROOT, "| KMeans.fit | %s | %s | %s | %s | %s | %s | %s |%n",
                        r.param("backend", "-"), r.param("threads", "-"), r.param("n", "-"), r.param("d", "-"),
                        r.param("k", "-"), r.param("segments", "-"), score(r, 1));
            }
        }
        List<Result> io = select("IoBenchmark.");
        if (!io.isEmpty()) {
            out.println();
            out.println("| read | format | rows | d | ms per file | M rows/s | file MB/s | decoded MB/s |");
            out.println("|---|---|---|---|---|---|---|---|");
            for (Result r : io) {
                double rowsPerSecond = r.secondary().getOrDefault("rows", Double.NaN);
                out.printf(Locale.ROOT, "| FeatureSource | %s | %s | %s | %.1f | %.2f | %.0f | %.0f |%n",
                        r.param("format", "-"), r.param("rows", "-"), r.param("d", "-"), 1e3 * r.seconds(),
                        rowsPerSecond / 1e6, r.secondary().getOrDefault("bytes", Double.NaN) / 1e6,
                        rowsPerSecond * r.longParam("d", 0) * Float.BYTES / 1e6);
            }
        }
    }

    /** The score with JMH's 99.9% error, which a single measurement iteration does not have. */
    private static String score(Result r, int decimals) {
        String format = "%." + decimals + "f";
        String score = String.format(Locale.ROOT, format, r.score());
        return Double.isNaN(r.error()) ? score : score + " ± " + String.format(Locale.ROOT, format, r.error());
    }

    private List<Result> select(String prefix) {
        return results.stream().filter(r -> r.benchmark().startsWith(prefix)).toList();
    }

    private static String share(double rate, Double ceiling) {
        return ceiling == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * rate / ceiling);
    }

    /**
     * Lloyd-pass throughput against N (one line per backend, d, k, threads with at least two N) and
     * against k (one line per backend, N, d, threads with at least two k), on log axes.
     */
    List<Path> plots(Path directory) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(directory);
        List<Result> passes = select("AssignBenchmark.lloydPass");
        List<Path> written = new ArrayList<>();
        plot(passes, "n", r -> String.format(Locale.ROOT, "%s d=%s k=%s %st", r.param("backend", ""), r.param("d", ""),
                r.param("k", ""), r.param("threads", "")), "Lloyd pass throughput vs N", "customers (N)",
                directory.resolve("lloyd-vs-n.png")).ifPresent(written::add);
        plot(passes, "k", r -> String.format(Locale.ROOT, "%s N=%s d=%s %st", r.param("backend", ""), r.param("n", ""),
                r.param("d", ""), r.param("threads", "")), "Lloyd pass throughput vs k", "centroids (k)",
                directory.resolve("lloyd-vs-k.png")).ifPresent(written::add);
        return written;
    }

    private Optional<Path> plot(List<Result> passes, String axis, Function<Result, String> series, String title,
                                String xTitle, Path target) throws IOException {
        Map<String, TreeMap<Long, Double>> lines = new TreeMap<>();
        for (Result r : passes) {
            double pointsPerSecond = work(r).orElseThrow().pointsPerSecond(r.seconds());
            lines.computeIfAbsent(series.apply(r), key -> new TreeMap<>()).put(r.longParam(axis, 0), pointsPerSecond / 1e6);
        }
        lines.values().removeIf(points -> points.size() < 2);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle)
                .yAxisTitle("M points/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        for (Map.Entry<String, TreeMap<Long, Double>> line : lines.entrySet()) {
            chart.addSeries(line.getKey(), new ArrayList<>(line.getValue().keySet()), new ArrayList<>(line.getValue().values()));
        }
        BitmapEncoder.saveBitmap(chart, target.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Optional.of(target);
    }
}
