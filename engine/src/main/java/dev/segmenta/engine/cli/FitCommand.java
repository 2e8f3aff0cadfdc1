package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.kernels.KernelSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Fits k-means to a customers file and writes the model and, optionally, every customer's segment. */
@Command(name = "fit",
        header = "Segment customers with k-means and write the model.",
        description = "k-means++ seeding, Lloyd iterations to convergence, the best of --n-init restarts. Features are z-scored "
                + "by default (customer features come in mixed units); the scaling is stored in the model and "
                + "reapplied by 'predict'. The whole file is held in memory: about 4 x features + 16 bytes per "
                + "customer, plus the id.",
        footer = {"", "Examples:",
                "  segmenta fit --input customers.parquet --k 8 --seed 1 --model model.json --assignments segments.parquet",
                "  segmenta fit -i customers.csv --k 5 --features annual_spend,orders_per_year,recency_days --scale minmax --model m.json"},
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

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE",
            description = "Where to write the model (JSON), atomically.")
    Path model;

    @Option(names = {"-a", "--assignments"}, paramLabel = "FILE",
            description = "Also write customer_id, segment, distance per customer (.parquet, .csv, .arrow or .arrows).")
    Path assignments;

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
        Options.tableOutput(spec, "--assignments", assignments);
        Options.writableTarget(model);
        KMeansParams params = new KMeansParams(k, maxIterations, tolerance, restarts, seed);

        KernelSelection backend = backendOptions.select(output);
        long start = System.nanoTime();
        output.progress("reading %s", input.input);
        Dataset data = DatasetLoader.load(input.input, input.readOptions(), weightColumn,
                rows -> output.throttledProgress("read %,d customers", rows));
        output.progress("read %,d customers x %d features (%s) in %.2f s", data.rows(), data.dimensions(),
                String.join(", ", data.featureNames()), (System.nanoTime() - start) / 1e9);

        PrintWriter out = spec.commandLine().getOut();
        try (BlockExecutor executor = threads.executor(spec)) {
            FitRun.Result result = FitRun.fit(data, params, scale, backend, executor, output,
                    input.input.toString());
            ModelFile.write(result.model(), model);
            output.progress("wrote model %s", model);
            if (assignments != null) {
                Assignments.write(assignments, data, result.outcome().fit().labels(),
                        result.outcome().fit().distances());
                output.progress("wrote %,d assignments to %s", data.rows(), assignments);
            }
            out.println(result.summary());
            out.print(SegmentProfile.table(SegmentProfile.of(result.model()), result.model().features()));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
