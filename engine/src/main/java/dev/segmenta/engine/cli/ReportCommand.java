package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.eval.Elbow;
import dev.segmenta.engine.eval.Sampling;
import dev.segmenta.engine.prep.Covariance;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.report.HtmlReport;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.InputFiles;
import dev.segmenta.kernels.KMeansKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** A self-contained HTML report of a model on a customers file. */
@Command(name = "report",
        header = "Write an HTML report of a model's segments, with plots.",
        description = "Evaluates the model on the customers like 'evaluate' and writes one self-contained HTML page (plots "
                + "embedded as PNG images; no scripts, no network): quality metrics, the elbow curve (with --k or "
                + "--elbow), segment sizes, the silhouette plot, the profile heat map and tables, and a sample of "
                + "customers on the first two principal components, coloured by segment. Written atomically.",
        footer = {"", "Examples:",
                "  segmenta report --model model.json --input customers.parquet --out report.html",
                "  segmenta report -m model.json -i customers.parquet --k 2..12 --out report.html --plots report-plots",
                "  segmenta report -m model.json -i customers.parquet --elbow elbow.json --out report.html"},
        mixinStandardHelpOptions = true)
final class ReportCommand implements Callable<Integer> {

    @Mixin
    EvaluationOptions evaluation;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.html", description = "Where to write the page.")
    Path out;

    @Option(names = {"-k", "--k"}, paramLabel = "FROM..TO", converter = KRange.Converter.class,
            description = "Also fit k-means for this range of k on the same customers (one restart each, the model's "
                    + "seed and seeding) and show the elbow curve.")
    KRange range;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = "--elbow", paramLabel = "FILE.json",
            description = "Show the elbow curve written by 'segmenta elbow --out FILE.json' instead of fitting one.")
    Path elbowFile;

    @Option(names = "--projection-sample", paramLabel = "N", defaultValue = "5000",
            description = "Customers drawn for the principal-component map. Default: ${DEFAULT-VALUE}.")
    int projectionSample;

    @FileRole(value = FileRole.Role.OUTPUT, filesInDirectory = "*.png")
    @Option(names = "--plots", paramLabel = "DIR", description = "Also write every plot as a PNG file into this directory.")
    Path plotsDirectory;

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
        if (range != null && elbowFile != null) {
            throw new ParameterException(spec.commandLine(), "give either --k (fit the curve) or --elbow (read it), not both");
        }
        Options.positive(spec, "--projection-sample", projectionSample);
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".html") && !name.endsWith(".htm")) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": the report is an HTML page; give a .html file name");
        }
        Options.writableTarget(out);
        if (plotsDirectory != null) {
            Options.writableTarget(plotsDirectory.resolve("sizes.png"));
        }
        Elbow.Result readElbow = elbowFile == null ? null : readElbow(elbowFile);
        KMeansKernels kernels = backendOptions.select(output).kernels();
        try (BlockExecutor executor = threads.executor(spec)) {
            EvaluationOptions.Evaluated run = evaluation.evaluate(spec, output, kernels, executor);
            Elbow.Result elbow;
            try {
                elbow = range == null ? readElbow : fitElbow(run, kernels, executor);
            } catch (BadInputException e) {
                // The fits see only the data ("only 3 customers but k up to 4 ..."): name the file.
                throw e.inFile(evaluation.input);
            }
            HtmlReport.Projection projection = projection(run.assigned(), executor);
            HtmlReport.Content content = new HtmlReport.Content(run.model(), evaluation.modelFile.getFileName().toString(),
                    evaluation.input.getFileName().toString(), run.evaluation(), elbow, projection,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Version.segmenta());
            Map<String, byte[]> plots = HtmlReport.plots(content);
            byte[] page = HtmlReport.html(content, plots);
            if (plotsDirectory != null) {
                for (Map.Entry<String, byte[]> plot : plots.entrySet()) {
                    AtomicFiles.write(plotsDirectory.resolve(plot.getKey()), stream -> stream.write(plot.getValue()));
                }
            }
            AtomicFiles.write(out, stream -> stream.write(page));
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%,d bytes, %d plots%s) for %,d customers in %d segments%n",
                    out, page.length, plots.size(), plotsDirectory == null ? "" : ", also in " + plotsDirectory,
                    run.evaluation().rows(), run.model().k());
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    private Elbow.Result fitElbow(EvaluationOptions.Evaluated run, KMeansKernels kernels, BlockExecutor executor) {
        Dataset space = run.assigned().space();
        // An exact hierarchy ran no k-means (no seeding, no iterations recorded): its curve uses fit's defaults.
        boolean kmeansRun = run.model().initialization() != null;
        Initialization initialization = kmeansRun ? new InitializationConverter().convert(run.model().initialization())
                : Initialization.KMEANS_PLUS_PLUS;
        KMeansParams template = kmeansRun
                ? new KMeansParams(1, run.model().maxIterations(), run.model().tolerance(), 1, run.model().seed())
                : new KMeansParams(1, KMeansParams.DEFAULT_MAX_ITERATIONS, KMeansParams.DEFAULT_TOLERANCE, 1, run.model().seed());
        double meanVariance = FeatureStats.of(space, executor).meanVariance();
        output.progress("elbow: fitting k = %d..%d", range.from(), range.to());
        return Elbow.run(space, range.from(), range.to(), template, initialization, meanVariance, kernels,
                threads.threads(), threads.threads(), p -> output.progress("k=%d: inertia %.6g", p.k(), p.inertia()));
    }

    /** The curve from an {@code elbow --out *.json} file, its knee recomputed. */
    private static Elbow.Result readElbow(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such elbow file; write one with 'segmenta elbow --out " + file + "'");
        }
        InputFiles.checkReadable(file);
        try {
            JsonNode points = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readTree(file.toFile()).get("points");
            if (points == null || !points.isArray() || points.isEmpty()) {
                throw new BadInputException(file + ": has no 'points'; write it with 'segmenta elbow --out " + file + "'");
            }
            List<Elbow.Point> curve = new ArrayList<>();
            for (JsonNode p : points) {
                if (!p.path("k").canConvertToInt() || !p.path("inertia").isNumber()) {
                    throw new BadInputException(file + ": point " + (curve.size() + 1)
                            + " lacks a whole 'k' or a numeric 'inertia'; rewrite it with 'segmenta elbow'");
                }
                curve.add(new Elbow.Point(p.get("k").asInt(), p.get("inertia").asDouble(), p.path("iterations").asInt(),
                        p.path("converged").asBoolean(), p.path("seconds").asDouble()));
            }
            curve.sort((a, b) -> Integer.compare(a.k(), b.k()));
            for (int i = 1; i < curve.size(); i++) {
                if (curve.get(i).k() == curve.get(i - 1).k()) {
                    throw new BadInputException(file + ": k=" + curve.get(i).k() + " appears twice; rewrite it with 'segmenta elbow'");
                }
            }
            return new Elbow.Result(List.copyOf(curve), Elbow.knee(curve));
        } catch (IOException e) {
            throw new BadInputException(file + ": not a readable elbow JSON file (" + e.getMessage().lines().findFirst().orElse("")
                    + "); write it with 'segmenta elbow --out " + file + "'");
        }
    }

    /** A uniform sample of customers on the first two principal components of the scaled features. */
    private HtmlReport.Projection projection(Segmenter.Assigned assigned, BlockExecutor executor) {
        Dataset features = assigned.features();
        if (features.dimensions() < 2) {
            return null;
        }
        Pca pca = Pca.fit(Covariance.of(features, executor), 2);
        long rows = features.rows();
        int m = (int) Math.min(rows, projectionSample);
        long[] sorted = Sampling.distinctSorted(m, rows, new SplittableRandom(evaluation.seed));
        float[] x = new float[m];
        float[] y = new float[m];
        int[] segments = new int[m];
        long blockStart = 0;
        int next = 0;
        for (int b = 0; b < features.blockCount() && next < m; b++) {
            FeatureBatch block = features.block(b);
            FeatureBatch projected = null;
            while (next < m && sorted[next] < blockStart + block.rows()) {
                if (projected == null) {
                    projected = pca.project(block);
                }
                int i = (int) (sorted[next] - blockStart);
                x[next] = projected.value(i, 0);
                y[next] = projected.value(i, 1);
                segments[next] = assigned.labels()[b][i];
                next++;
            }
            blockStart += block.rows();
        }
        return new HtmlReport.Projection(x, y, segments, pca.explainedVarianceRatio());
    }
}
