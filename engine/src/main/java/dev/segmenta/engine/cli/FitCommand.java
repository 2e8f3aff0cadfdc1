package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.cluster.OutOfCoreKMeans;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentLabels;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.PreparationCounts;
import dev.segmenta.engine.prep.PreparationSpec;
import dev.segmenta.engine.prep.PreparedInput;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.KernelSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Fits k-means to a customers file and writes the model and, optionally, every customer's segment. */
@Command(name = "fit",
        header = "Segment customers with k-means and write the model.",
        description = "Prepares the features (missing values with --impute, repeated customer ids with --dedup, ln(1+x) of "
                + "skewed columns with --log1p, in this order), scales them (z-score by default: customer features come "
                + "in mixed units), then runs k-means: k-means++ seeding, Lloyd iterations to convergence, the best of "
                + "--n-init restarts. The preparation and scaling are stored in the model and reapplied by 'predict'. "
                + "Segments get names from their profiles (e.g. 'high annual_spend, low recency_days'), or from --labels. "
                + "The whole file is held in memory (about 4 x features + 16 bytes per customer, plus the id) unless "
                + "--out-of-core.",
        footer = {"", "Examples:",
                "  segmenta fit --input customers.parquet --k 8 --seed 1 --model model.json --assignments segments.parquet",
                "  segmenta fit -i customers.parquet --k 5 --features annual_spend,orders_per_year --scale minmax --model m.json",
                "  segmenta fit -i customers.parquet --k 8 --impute median --dedup last --log1p annual_spend,avg_basket --model m.json",
                "  segmenta fit -i rfm.parquet --k 4 --log1p monetary_total,monetary_mean --labels names.json --model rfm-model.json"},
        mixinStandardHelpOptions = true)
final class FitCommand implements Callable<Integer> {

    @Mixin
    InputOptions input;

    @Option(names = {"-k", "--k"}, required = true, paramLabel = "K", description = "Number of segments.")
    int k;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of every random choice; the same seed and data give the same model. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--n-init", paramLabel = "N", defaultValue = "" + KMeansParams.DEFAULT_RESTARTS,
            description = "Restarts from independent seeds; the lowest inertia wins. Default: ${DEFAULT-VALUE}: "
                    + "k-means++ now and then seeds two centroids in one segment, and a few restarts make that rare.")
    int restarts;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "300",
            description = "Iteration cap per restart. Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "1e-4",
            description = "Stop when the centroids' total squared movement in an iteration is at most T times the "
                    + "mean feature variance. 0 runs until nothing moves. Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--scale", paramLabel = "METHOD", defaultValue = Scaling.ZSCORE,
            description = "Feature scaling before clustering: zscore, minmax or none. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--weight-column", paramLabel = "COL",
            description = "Numeric column of non-negative sample weights (e.g. customer value). Default: all 1.")
    String weightColumn;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "kmeans",
            description = "kmeans (Lloyd iterations over all customers) or minibatch (Sculley's mini-batch updates: "
                    + "fastest on very large data, inertia typically within 1-2%% of Lloyd). Default: ${DEFAULT-VALUE}.")
    Segmenter.Variant algorithm;

    @Option(names = "--init", paramLabel = "METHOD", defaultValue = "k-means++", converter = InitializationConverter.class,
            description = "Seeding: k-means++ (greedy, about k*(3+ln k) passes) or k-means|| (a few oversampling passes; "
                    + "faster for large k). Default: ${DEFAULT-VALUE}.")
    Initialization initialization;

    @Option(names = "--out-of-core",
            description = "Stream the file from disk on every pass instead of loading it: memory stays at a few blocks "
                    + "and a 100,000-customer seeding sample, for files larger than memory (kmeans only, no weights).")
    boolean outOfCore;

    @Option(names = "--pca", paramLabel = "N", defaultValue = "0",
            description = "Cluster on the first N principal components of the scaled features instead of the features "
                    + "themselves; the projection is stored in the model and reapplied by 'predict' and 'evaluate'. "
                    + "Default: 0 (no PCA).")
    int pca;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "Where to write the model (JSON), atomically.")
    Path model;

    @Option(names = {"-a", "--assignments"}, paramLabel = "FILE",
            description = "Also write customer_id, segment, segment_label, distance per customer (.parquet, .csv, .arrow or .arrows).")
    Path assignments;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Segment names to store in the model instead of the generated ones: a JSON object such as "
                    + "{\"0\": \"Champions\", \"3\": \"At risk\"} (segments not named keep their generated name).")
    Path labels;

    @Mixin
    PreparationOptions preparation;

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
        Options.positive(spec, "--k", k);
        Options.positive(spec, "--n-init", restarts);
        Options.positive(spec, "--max-iter", maxIterations);
        Options.nonNegative(spec, "--tol", tolerance);
        Options.scaling(spec, scale);
        if (pca < 0) {
            throw new ParameterException(spec.commandLine(), "--pca must be 0 (none) or a number of components, got " + pca);
        }
        if (outOfCore && pca > 0) {
            throw new ParameterException(spec.commandLine(), "--pca needs the data in memory; drop --out-of-core or --pca");
        }
        if (outOfCore && (algorithm != Segmenter.Variant.KMEANS || weightColumn != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--out-of-core runs Lloyd k-means without weights; drop --algorithm " + algorithm.label()
                            + (weightColumn != null ? " and --weight-column" : ""));
        }
        Options.tableOutput(spec, "--assignments", assignments);
        Options.writableTarget(model);
        PreparationSpec prepSpec = preparation.spec(spec);
        if (labels != null) {
            SegmentLabels.override(SegmentLabels.numbered(k), labels);
        }
        KMeansParams params = new KMeansParams(k, maxIterations, tolerance, restarts, seed);
        KernelSelection backend = backendOptions.select(output);
        FitRun run = new FitRun(output, initialization, algorithm == Segmenter.Variant.MINIBATCH);
        try (BlockExecutor executor = threads.executor(spec)) {
            output.progress("reading %s", input.input);
            ReadOptions options = DatasetLoader.withWeightColumn(input.input, input.readOptions(), weightColumn);
            PreparedInput prepared = PreparedInput.fit(input.input, options, weightColumn, prepSpec,
                    rows -> output.throttledProgress("preparing: read %,d rows", rows));
            if (outOfCore) {
                fitOutOfCore(prepared, options.blockRows(), params, backend, executor, run);
            } else {
                fitInMemory(prepared, params, backend, executor, run);
            }
        }
        return ExitCodes.OK;
    }

    private void fitInMemory(PreparedInput prepared, KMeansParams params, KernelSelection backend,
                             BlockExecutor executor, FitRun run) throws IOException {
        long start = System.nanoTime();
        Dataset data;
        try (FeatureSource source = prepared.open()) {
            data = DatasetLoader.load(source, weightColumn, rows -> output.throttledProgress("read %,d customers", rows));
        }
        PreparationCounts counts = counts(prepared, data.rows());
        if (data.rows() == 0) {
            throw new BadInputException(input.input + ": no customers left to cluster after preparation ("
                    + PreparationOptions.summary(prepared.preparation(), counts) + ")");
        }
        output.progress("read %,d customers x %d features (%s) in %.2f s", data.rows(), data.dimensions(),
                String.join(", ", data.featureNames()), (System.nanoTime() - start) / 1e9);
        if (pca > data.dimensions()) {
            throw new ParameterException(spec.commandLine(), "--pca " + pca + " asks for more components than the "
                    + data.dimensions() + " features; use at most " + data.dimensions());
        }
        Segmenter.Outcome outcome = Segmenter.fit(data, prepared.preparation().withTraining(counts), params, algorithm,
                initialization, scale, pca, backend.kernels(), executor, run, input.input.toString(), Version.segmenta());
        SegmentModel fitted = labelled(outcome.model());
        writeModel(fitted);
        if (assignments != null) {
            Assignments.write(assignments, fitted.segmentLabels(), data, outcome.fit().labels(), outcome.fit().distances());
            output.progress("wrote %,d assignments to %s", data.rows(), assignments);
        }
        List<SegmentProfile> profiles = SegmentProfile.of(data, outcome.fit().labels(), k, fitted.scaling(),
                fitted.preparation().log1p(), false, executor);
        printResult(fitted, profiles, counts, outcome.fit().result(), outcome.nanos(), backend, executor, run);
    }

    /** Streams the file once per pass: memory stays at a few blocks and a sample, whatever the file size. */
    private void fitOutOfCore(PreparedInput prepared, int blockRows, KMeansParams params, KernelSelection backend,
                              BlockExecutor executor, FitRun run) throws IOException {
        output.progress("streaming %s (out of core: one read per pass)", input.input);
        long start = System.nanoTime();
        OutOfCoreKMeans kmeans = new OutOfCoreKMeans(input.input, prepared::open, blockRows, backend.kernels(), executor);
        OutOfCoreKMeans.Fit fit = kmeans.fit(params, initialization, scale, run);
        long nanos = System.nanoTime() - start;
        PreparationCounts counts = counts(prepared, fit.stats().count());
        SegmentModel fitted = labelled(Segmenter.model(Segmenter.Variant.KMEANS.label(), initialization, params,
                fit.featureNames(), prepared.preparation().withTraining(counts), fit.stats(), fit.scaling(), null, null,
                fit.result(), backend.kernels(), fit.stats().count(), fit.sizes(), input.input.toString(),
                Version.segmenta()));
        writeModel(fitted);
        if (assignments != null) {
            Assignments.write(assignments, fitted.segmentLabels(), kmeans, fit);
            output.progress("wrote %,d assignments to %s", fit.stats().count(), assignments);
        }
        printResult(fitted, SegmentProfile.of(fitted), counts, fit.result(), nanos, backend, executor, run);
    }

    /** What the preparation did to the file (every prepared pass does the same); plain counts for an unprepared read. */
    private static PreparationCounts counts(PreparedInput prepared, long rows) {
        PreparationCounts counts = prepared.counts();
        return counts != null ? counts : new PreparationCounts(rows, 0, 0, 0);
    }

    private SegmentModel labelled(SegmentModel fitted) {
        return labels == null ? fitted : fitted.withLabels(SegmentLabels.override(fitted.segmentLabels(), labels));
    }

    private void writeModel(SegmentModel fitted) throws IOException {
        ModelFile.write(fitted, model);
        output.progress("wrote model %s", model);
    }

    private void printResult(SegmentModel fitted, List<SegmentProfile> profiles, PreparationCounts counts,
                             KMeansResult result, long nanos, KernelSelection backend, BlockExecutor executor,
                             FitRun run) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(run.summary(fitted, result, nanos, backend, executor.threads()));
        String prepared = PreparationOptions.summary(fitted.preparation(), counts);
        if (prepared != null) {
            out.println(prepared);
        }
        if (fitted.pca() != null) {
            out.println(PcaCommand.explained(fitted.pca()));
        }
        out.print(SegmentProfile.table(profiles, fitted.features()));
        for (int j = 0; j < fitted.k(); j++) {
            out.printf("segment %d: %s%n", j, fitted.segmentLabels().get(j));
        }
        out.flush();
    }
}
