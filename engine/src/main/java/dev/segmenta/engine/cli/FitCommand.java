package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.Agglomerative;
import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.OutOfCoreKMeans;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.data.UniqueIds;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentLabels;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Deduplication;
import dev.segmenta.engine.prep.Preparation;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Fits a segmentation to a customers file and writes the model and, optionally, every customer's segment. */
@Command(name = "fit",
        header = "Segment customers (k-means, mini-batch, DBSCAN or hierarchical) and write the model.",
        description = "Prepares the features (missing values with --impute, repeated customer ids with --dedup, ln(1+x) of "
                + "skewed columns with --log1p, in this order), scales them (z-score by default: customer features come "
                + "in mixed units), then clusters them. kmeans (default): k-means++ seeding, Lloyd iterations to "
                + "convergence, the best of --n-init restarts. dbscan: density clusters of radius --eps, noise as segment "
                + "-1. hierarchical: a dendrogram by --linkage, cut into --k segments or at --cut-height. The preparation "
                + "and scaling are stored in the model and reapplied by 'predict'. "
                + "Segments get names from their profiles (e.g. 'high annual_spend, low recency_days'), or from --labels. "
                + "The whole file is held in memory (about 4 x features + 16 bytes per customer, plus the id) unless "
                + "--out-of-core.",
        footer = {"", "Examples:",
                "  segmenta fit --input customers.parquet --k 8 --seed 1 --model model.json --assignments segments.parquet",
                "  segmenta fit -i customers.parquet --k 5 --features annual_spend,orders_per_year --scale minmax --model m.json",
                "  segmenta fit -i customers.parquet --k 8 --impute median --dedup last --log1p annual_spend,avg_basket --model m.json",
                "  segmenta fit -i rfm.parquet --k 4 --log1p monetary_total,monetary_mean --labels names.json --model rfm-model.json",
                "  segmenta fit -i customers.parquet --algorithm dbscan --eps 0.4 --min-samples 10 --model m.json --assignments a.csv",
                "  segmenta fit -i customers.parquet --algorithm hierarchical --linkage ward --k 6 --micro-clusters 2000 \\",
                "      --model m.json --dendrogram dendrogram.png --merges merges.csv"},
        mixinStandardHelpOptions = true)
final class FitCommand implements Callable<Integer> {

    /** Options only k-means (and the micro-clusters of a two-stage hierarchy) read. */
    private static final String[] KMEANS_OPTIONS = {"--n-init", "--max-iter", "--tol", "--seed"};
    private static final String[] DBSCAN_OPTIONS = {DbscanOptions.EPS, DbscanOptions.MIN_SAMPLES, DbscanOptions.INDEX};
    private static final String[] HIERARCHY_OPTIONS = {HierarchyOptions.LINKAGE, HierarchyOptions.CUT_HEIGHT,
            HierarchyOptions.MICRO_CLUSTERS, HierarchyOptions.MERGES, HierarchyOptions.DENDROGRAM,
            HierarchyOptions.DENDROGRAM_LEAVES};
    /** Iteration cap of a two-stage hierarchy's micro-cluster k-means unless --max-iter is given. */
    static final int MICRO_CLUSTER_ITERATIONS = 30;

    @Mixin
    InputOptions input;

    @Option(names = {"-k", "--k"}, paramLabel = "K",
            description = "Number of segments (required for kmeans and minibatch; hierarchical takes it or --cut-height).")
    Integer k;

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
            description = "kmeans (Lloyd iterations over all customers), minibatch (Sculley's mini-batch updates: "
                    + "fastest on very large data, inertia typically within 1-2%% of Lloyd), dbscan (density-based, "
                    + "finds the number of segments and the outliers itself) or hierarchical (agglomerative, with a "
                    + "dendrogram). Default: ${DEFAULT-VALUE}.")
    Algorithm algorithm;

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

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "Where to write the model (JSON), atomically.")
    Path model;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-a", "--assignments"}, paramLabel = "FILE",
            description = "Also write customer_id, segment, segment_label, distance per customer (.parquet, .csv, .arrow or .arrows).")
    Path assignments;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = "--labels", paramLabel = "FILE",
            description = "Segment names to store in the model instead of the generated ones: a JSON object such as "
                    + "{\"0\": \"Champions\", \"3\": \"At risk\"} (segments not named keep their generated name).")
    Path labels;

    @Mixin
    PreparationOptions preparation;

    @Mixin
    DbscanOptions dbscanOptions;

    @Mixin
    HierarchyOptions hierarchyOptions;

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
        checkOptionsApply();
        if (outOfCore && (algorithm != Algorithm.KMEANS || weightColumn != null)) {
            List<String> drop = new ArrayList<>();
            if (algorithm != Algorithm.KMEANS) {
                drop.add("--algorithm " + algorithm.option());
            }
            if (weightColumn != null) {
                drop.add("--weight-column");
            }
            throw new ParameterException(spec.commandLine(),
                    "--out-of-core runs Lloyd k-means without weights; drop " + String.join(" and ", drop));
        }
        Dbscan dbscan = algorithm == Algorithm.DBSCAN ? dbscanOptions.dbscan(spec) : null;
        Agglomerative.Cut cut = algorithm == Algorithm.HIERARCHICAL ? hierarchyOptions.cut(spec, k) : null;
        Options.tableOutput(spec, "--assignments", assignments);
        Options.writableTarget(model);
        PreparationSpec prepSpec = preparation.spec(spec);
        if (labels != null && k != null) {
            SegmentLabels.override(SegmentLabels.numbered(k), labels);
        }
        KMeansParams params = k == null ? null : new KMeansParams(k, maxIterations, tolerance, restarts, seed);
        KernelSelection backend = backendOptions.select(output);
        FitRun run = new FitRun(output, initialization, algorithm == Algorithm.MINIBATCH);
        try (BlockExecutor executor = threads.executor(spec)) {
            output.progress("reading %s", input.input);
            ReadOptions options = DatasetLoader.withWeightColumn(input.input, input.readOptions(), weightColumn);
            PreparedInput prepared = PreparedInput.fit(input.input, options, weightColumn, prepSpec,
                    rows -> output.throttledProgress("preparing: read %,d rows", rows));
            if (outOfCore) {
                fitOutOfCore(prepared, options.blockRows(), params, backend, executor, run);
                return ExitCodes.OK;
            }
            Dataset data = load(prepared, weightColumn, output,
                    params == null ? DatasetLoader.Workspace.NONE : KMeans.workspace(params.k()));
            // The statistics before the fit scales the data in place; the warning after, as a failed fit's error comes first.
            FeatureStats stats = FeatureStats.of(data, executor);
            List<String> features = data.featureNames();
            PreparationCounts counts = counts(prepared, data.rows());
            Preparation trained = prepared.preparation().withTraining(counts);
            switch (algorithm) {
                case KMEANS, MINIBATCH -> fitInMemory(data, trained, counts, params, backend, executor, run);
                case DBSCAN -> DbscanFit.run(this, dbscan, data, trained, counts, backend, executor);
                case HIERARCHICAL -> HierarchicalFit.run(this, hierarchyOptions, cut, microClusterParams(), data,
                        trained, counts, backend, executor);
            }
            output.warnAboutConstantColumns(stats, features);
        } catch (BadInputException e) {
            // The clustering sees only the data ("only 3 distinct customers but k=4 ..."): name the file.
            throw e.inFile(input.input);
        }
        return ExitCodes.OK;
    }

    /** Refuses options the chosen algorithm would ignore, and requires those it needs. */
    private void checkOptionsApply() {
        String name = algorithm.option();
        switch (algorithm) {
            case KMEANS, MINIBATCH -> {
                Options.notApplicable(spec, name, DBSCAN_OPTIONS);
                Options.notApplicable(spec, name, HIERARCHY_OPTIONS);
                if (k == null) {
                    throw new ParameterException(spec.commandLine(), "Missing required option: '--k'");
                }
                Options.positive(spec, "--k", k);
            }
            case DBSCAN -> {
                Options.notApplicable(spec, name, "--k", "--init", "--out-of-core", "--pca");
                Options.notApplicable(spec, name, KMEANS_OPTIONS);
                Options.notApplicable(spec, name, HIERARCHY_OPTIONS);
            }
            case HIERARCHICAL -> {
                Options.notApplicable(spec, name, DBSCAN_OPTIONS);
                Options.notApplicable(spec, name, "--init", "--out-of-core", "--pca");
                if (hierarchyOptions.microClusters == 0) {
                    Options.notApplicable(spec, name + " without " + HierarchyOptions.MICRO_CLUSTERS, KMEANS_OPTIONS);
                }
            }
        }
    }

    /**
     * The first stage of a two-stage hierarchy only summarises the customers, so unless told
     * otherwise it runs one restart of at most {@value #MICRO_CLUSTER_ITERATIONS} iterations.
     */
    private KMeansParams microClusterParams() {
        var parsed = spec.commandLine().getParseResult();
        return new KMeansParams(1, parsed.hasMatchedOption("--max-iter") ? maxIterations : MICRO_CLUSTER_ITERATIONS,
                tolerance, parsed.hasMatchedOption("--n-init") ? restarts : 1, seed);
    }

    /**
     * Reads the prepared input into memory; {@code weightColumn} may be {@code null}. Without
     * de-duplication, an id that appears twice fails ({@link UniqueIds}).
     *
     * @param workspace what the fit will allocate per customer and block, for the memory check before reading
     */
    static Dataset load(PreparedInput prepared, String weightColumn, OutputOptions output,
                        DatasetLoader.Workspace workspace) {
        long start = System.nanoTime();
        Dataset data;
        boolean checkIds;
        try (FeatureSource source = prepared.open()) {
            checkIds = source.hasIdColumn() && prepared.preparation().deduplication() == Deduplication.NONE;
            DatasetLoader.Workspace need = checkIds
                    ? workspace.plus(new DatasetLoader.Workspace(UniqueIds.bytesPerRow(source.idType()), 0, 0)) : workspace;
            data = DatasetLoader.load(source, weightColumn, rows -> output.throttledProgress("read %,d customers", rows),
                    need);
        }
        if (checkIds) {
            UniqueIds.check(prepared.file(), data, counts(prepared, data.rows()).droppedMissing() == 0);
        }
        if (data.rows() == 0) {
            throw new BadInputException(prepared.file() + ": no customers left to cluster after preparation ("
                    + PreparationOptions.summary(prepared.preparation(), counts(prepared, 0)) + ")");
        }
        output.progress("read %,d customers x %d features (%s) in %.2f s", data.rows(), data.dimensions(),
                String.join(", ", data.featureNames()), (System.nanoTime() - start) / 1e9);
        return data;
    }

    private void fitInMemory(Dataset data, Preparation trained, PreparationCounts counts, KMeansParams params,
                             KernelSelection backend, BlockExecutor executor, FitRun run) throws IOException {
        if (pca > data.dimensions()) {
            throw new ParameterException(spec.commandLine(), "--pca " + pca + " asks for more components than the "
                    + data.dimensions() + " features; use at most " + data.dimensions());
        }
        Segmenter.Outcome outcome = Segmenter.fit(data, trained, params, algorithm.variant(), initialization, scale, pca,
                backend.kernels(), executor, run, input.input.toString(), Version.segmenta());
        SegmentModel fitted = labelled(outcome.model());
        if (assignments != null) {
            Assignments.write(assignments, fitted.segmentLabels(), data, outcome.fit().labels(), outcome.fit().distances());
            output.progress("wrote %,d assignments to %s", data.rows(), assignments);
        }
        writeModel(fitted);
        List<SegmentProfile> profiles = SegmentProfile.of(data, outcome.fit().labels(), k, fitted.scaling(),
                fitted.preparation().log1p(), false, executor);
        printResult(run.summary(fitted, outcome.fit().result(), outcome.nanos(), backend, executor.threads()), fitted,
                profiles, counts);
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
        if (assignments != null) {
            Assignments.write(assignments, fitted.segmentLabels(), kmeans, fit);
            output.progress("wrote %,d assignments to %s", fit.stats().count(), assignments);
        }
        writeModel(fitted);
        printResult(run.summary(fitted, fit.result(), nanos, backend, executor.threads()), fitted,
                SegmentProfile.of(fitted), counts);
        output.warnAboutConstantColumns(fit.stats(), fit.featureNames());
    }

    /** What the preparation did to the file (every prepared pass does the same); plain counts for an unprepared read. */
    private static PreparationCounts counts(PreparedInput prepared, long rows) {
        PreparationCounts counts = prepared.counts();
        return counts != null ? counts : new PreparationCounts(rows, 0, 0, 0);
    }

    SegmentModel labelled(SegmentModel fitted) {
        return labels == null ? fitted : fitted.withLabels(SegmentLabels.override(fitted.segmentLabels(), labels));
    }

    /** Writes the model; like every output of the fit it appears when the command succeeds ({@code OutputTransaction}). */
    void writeModel(SegmentModel fitted) throws IOException {
        ModelFile.write(fitted, model);
        output.progress("wrote model %s", model);
    }

    /** The summary line, what the preparation did, the PCA, the profiles and the segment names. */
    void printResult(String summary, SegmentModel fitted, List<SegmentProfile> profiles, PreparationCounts counts) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(summary);
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
