package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.eval.Elbow;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.engine.report.Charts;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.TableWriter;
import dev.segmenta.kernels.KMeansKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Inertia for a range of k, the suggested knee, and the curve as a table and a plot. */
@Command(name = "elbow",
        header = "Fit k-means for a range of k and suggest the number of segments.",
        description = "Reads and scales the customers once, fits k-means for every k in the range (the same seed each, so each "
                + "k's result is what 'fit' gives) and prints inertia per k with the knee of the curve found by the "
                + "Kneedle method (Satopaa et al. 2011). Writes the curve as CSV/Parquet/Arrow or JSON and as a PNG plot. "
                + "Holds the data in memory like 'fit', plus 8 bytes per customer per fit in flight.",
        footer = {"", "Examples:",
                "  segmenta elbow --input customers.parquet --k 2..20 --out elbow.csv --plot elbow.png",
                "  segmenta elbow -i customers.parquet --k 2..12 --n-init 3 --out elbow.json"},
        mixinStandardHelpOptions = true)
final class ElbowCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    InputOptions input;

    @Option(names = {"-k", "--k"}, required = true, paramLabel = "FROM..TO", converter = KRange.Converter.class,
            description = "Range of segment counts, both ends included, e.g. 2..20.")
    KRange range;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of every fit. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--n-init", paramLabel = "N", defaultValue = "1",
            description = "Restarts per k; the lowest inertia wins. Default: ${DEFAULT-VALUE} (the curve's shape rarely "
                    + "needs more; use 'fit' with restarts for the chosen k).")
    int restarts;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "300", description = "Iteration cap per fit. Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "1e-4",
            description = "Convergence tolerance, as for 'fit'. Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--scale", paramLabel = "METHOD", defaultValue = Scaling.ZSCORE,
            description = "Feature scaling: zscore, minmax or none. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--init", paramLabel = "METHOD", defaultValue = "k-means++", converter = InitializationConverter.class,
            description = "Seeding: k-means++ or k-means||. Default: ${DEFAULT-VALUE}.")
    Initialization initialization;

    @Option(names = "--fits-at-once", paramLabel = "N", defaultValue = "1",
            description = "Values of k fitted concurrently (largest k first), each on its share of --threads. Default: "
                    + "${DEFAULT-VALUE}, one fit at a time on all threads: on 2 cores it measured as fast as one fit per "
                    + "thread (docs/benchmarks.md), reports in order and needs the least memory.")
    int fitsAtOnce;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Write the curve: .json (with the knee), or a table (.csv, .parquet, .arrow, .arrows) with "
                    + "k, inertia, iterations, converged, seconds.")
    Path out;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--plot", paramLabel = "FILE.png", description = "Write the curve as a PNG plot.")
    Path plot;

    @Mixin
    ThreadOptions threads;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.nonNegative(spec, "--tol", tolerance);
        KMeansParams template = new KMeansParams(1, positive("--max-iter", maxIterations), tolerance,
                positive("--n-init", restarts), seed);
        Options.scaling(spec, scale);
        if (out != null && !out.toString().endsWith(".json")) {
            Options.tableOutput(spec, "--out", out);
        }
        Options.writableTarget(out);
        Options.pngOutput(spec, "--plot", plot);
        int concurrent = positive("--fits-at-once", fitsAtOnce);
        KMeansKernels kernels = backendOptions.select(output).kernels();
        Elbow.Result result;
        long start = System.nanoTime();
        try (BlockExecutor executor = threads.executor(spec)) {
            output.progress("reading %s", input.input());
            Dataset data = DatasetLoader.load(input.input(), input.readOptions(), null,
                    rows -> output.throttledProgress("read %,d customers", rows));
            FeatureStats stats = FeatureStats.of(data, executor);
            Scaling scaling = Segmenter.scale(data, scale, stats, executor);
            output.progress("read %,d customers x %d features; fitting k = %d..%d, %d at a time", data.rows(),
                    data.dimensions(), range.from(), range.to(), Math.min(concurrent, range.size()));
            result = Elbow.run(data, range.from(), range.to(), template, initialization,
                    scaling.scaledMeanVariance(stats), kernels, threads.threads(), concurrent,
                    p -> output.progress("k=%d: inertia %.6g after %d iterations (%.2f s)", p.k(), p.inertia(),
                            p.iterations(), p.seconds()));
            output.warnAboutConstantColumns(stats, data.featureNames());
        } catch (BadInputException e) {
            // The scaling and the fits see only the data ("only 3 customers but k up to 4 ..."): name the file.
            throw e.inFile(input.input());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "%4s %16s %10s %9s %9s%n", "k", "inertia", "iterations", "converged", "seconds");
        for (Elbow.Point p : result.points()) {
            console.printf(Locale.ROOT, "%4d %16.6g %10d %9s %9.2f%n", p.k(), p.inertia(), p.iterations(),
                    p.converged() ? "yes" : "no", p.seconds());
        }
        console.println(kneeLine(result) + String.format(Locale.ROOT, " (%d fits in %.2f s)", result.points().size(),
                seconds));
        console.flush();
        if (out != null) {
            write(result);
            output.progress("wrote %s", out);
        }
        if (plot != null) {
            byte[] png = Charts.elbow(result);
            AtomicFiles.write(plot, stream -> stream.write(png));
            output.progress("wrote %s", plot);
        }
        return ExitCodes.OK;
    }

    static String kneeLine(Elbow.Result result) {
        return result.kneeK().isPresent()
                ? "suggested k = " + result.kneeK().getAsInt() + " (knee of the inertia curve, Kneedle)"
                : "no clear knee in this range of k (the curve bends too little); widen --k or judge by silhouette";
    }

    private int positive(String option, int value) {
        Options.positive(spec, option, value);
        return value;
    }

    private void write(Elbow.Result result) throws IOException {
        if (out.toString().endsWith(".json")) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("input", input.input().toString());
            root.put("scale", scale);
            root.put("seed", seed);
            root.put("restarts", restarts);
            root.put("suggestedK", result.kneeK().isPresent() ? result.kneeK().getAsInt() : null);
            root.put("method", "Kneedle (Satopaa et al. 2011), sensitivity 1");
            root.put("points", result.points());
            byte[] bytes = JSON.writeValueAsBytes(root);
            AtomicFiles.write(out, stream -> stream.write(bytes));
            return;
        }
        int n = result.points().size();
        int[] k = new int[n];
        double[] inertia = new double[n];
        int[] iterations = new int[n];
        int[] converged = new int[n];
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            Elbow.Point p = result.points().get(i);
            k[i] = p.k();
            inertia[i] = p.inertia();
            iterations[i] = p.iterations();
            converged[i] = p.converged() ? 1 : 0;
            seconds[i] = p.seconds();
        }
        try (TableWriter writer = TableWriter.open(out, List.of(new Column("k", ColumnType.INT32),
                new Column("inertia", ColumnType.FLOAT64), new Column("iterations", ColumnType.INT32),
                new Column("converged", ColumnType.INT32), new Column("seconds", ColumnType.FLOAT64)))) {
            writer.write(n, k, inertia, iterations, converged, seconds);
            writer.commit();
        }
    }
}
