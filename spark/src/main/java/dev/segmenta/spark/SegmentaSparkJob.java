package dev.segmenta.spark;

import dev.segmenta.engine.cli.ExitCodes;
import dev.segmenta.engine.cli.OutputOptions;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.BackendUnavailableException;
import dev.segmenta.kernels.Kernels;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The batch entry point for {@code spark-submit}: reads a customers table, fits {@link SegmentaKMeans}
 * (after z-score or min-max scaling, as {@code segmenta fit} does), saves the fitted
 * {@code PipelineModel} and optionally every customer's segment. Outputs are written beside their
 * target under a temporary name and renamed onto it when complete.
 */
@Command(name = "segmenta-spark",
        header = "Segment customers on a Spark cluster and save the model.",
        description = "Fits Segmenta k-means (k-means|| seeding, Lloyd iterations on the executors' Segmenta kernels) "
                + "to a table Spark can read. The model is a Spark PipelineModel (feature assembly, scaling, "
                + "SegmentaKMeansModel) that PipelineModel.load(path) reads back. The data stays on the executors: "
                + "about 4 x features + 4 bytes per customer of storage memory while fitting.",
        footer = {"", "Examples:",
                "  spark-submit --class dev.segmenta.spark.SegmentaSparkJob segmenta-spark.jar --input customers.parquet "
                        + "--k 8 --seed 1 --model segments-model --assignments segments.parquet",
                "  spark-submit --class dev.segmenta.spark.SegmentaSparkJob segmenta-spark.jar -i customers.csv --k 5 "
                        + "--features annual_spend,orders_per_year,recency_days --scale minmax --model m --overwrite",
                "",
                "Exit codes: 0 success, 1 internal error, 2 usage, 3 bad input, 4 I/O error."},
        mixinStandardHelpOptions = true)
public final class SegmentaSparkJob implements Callable<Integer> {

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "PATH",
            description = "Customers table: a Parquet, ORC, JSON or CSV (with header) file or directory, on any file "
                    + "system Spark reads (hdfs://, s3a://, ...). The format comes from --format or the extension.")
    String input;

    @Option(names = "--format", paramLabel = "NAME",
            description = "parquet, orc, json or csv. Default: from the extension of --input, else parquet.")
    String format;

    @Option(names = "--features", split = ",", paramLabel = "COL",
            description = "Feature columns, comma-separated. Default: every numeric column except the id column, the "
                    + "weight column and the --exclude columns.")
    List<String> features;

    @Option(names = "--exclude", split = ",", paramLabel = "COL", defaultValue = "true_segment",
            description = "Numeric columns to leave out of the default feature set. Default: ${DEFAULT-VALUE}.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--id-column", paramLabel = "COL", defaultValue = "customer_id",
            description = "Customer id column, copied to --assignments. Default: ${DEFAULT-VALUE}.")
    String idColumn;

    @Option(names = "--weight-column", paramLabel = "COL",
            description = "Numeric column of non-negative sample weights. Default: all 1.")
    String weightColumn;

    @Option(names = {"-k", "--k"}, required = true, paramLabel = "K", description = "Number of segments.")
    int k;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of every random choice; the same seed, data and partitioning give the same model. "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "300",
            description = "Lloyd iteration cap. Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--tol", paramLabel = "T", defaultValue = "1e-4",
            description = "Stop once no segment centre moves farther than T (in the scaled space) in an iteration "
                    + "(Spark MLlib's rule). Default: ${DEFAULT-VALUE}.")
    double tolerance;

    @Option(names = "--init", paramLabel = "METHOD", defaultValue = SegmentaKMeansParams.K_MEANS_PARALLEL,
            description = "Seeding: k-means|| or random. Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--init-steps", paramLabel = "N", defaultValue = "2",
            description = "k-means|| sampling rounds. Default: ${DEFAULT-VALUE}.")
    int initSteps;

    @Option(names = "--scale", paramLabel = "METHOD", defaultValue = "zscore",
            description = "Feature scaling before clustering: zscore (Spark's StandardScaler, mean 0 and sample "
                    + "standard deviation 1), minmax (MinMaxScaler, to [0, 1]) or none. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = Kernels.AUTO,
            description = "Segmenta kernel backend on every executor: auto (best available), simd, scalar. A backend "
                    + "named explicitly that cannot start on an executor fails the job. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "PATH",
            description = "Directory to save the fitted PipelineModel to.")
    String model;

    @Option(names = {"-a", "--assignments"}, paramLabel = "PATH",
            description = "Also write customer_id, segment, distance per customer: a Parquet directory, or CSV when "
                    + "PATH ends in .csv.")
    String assignments;

    @Option(names = "--overwrite", description = "Replace --model and --assignments if they exist.")
    boolean overwrite;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the job in the current (or a new) Spark session and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SegmentaSparkJob());
        cli.setOut(out);
        cli.setErr(err);
        cli.setUsageHelpWidth(120);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            int code = exitCode(e);
            commandLine.getErr().println("segmenta-spark: " + message(e));
            if (parseResult.hasMatchedOption("--debug") || code == ExitCodes.INTERNAL) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return code;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        checkOptions();
        SparkSession spark = SparkSession.builder().appName("segmenta-spark").getOrCreate();
        FileSystem fs = new Path(model).getFileSystem(spark.sparkContext().hadoopConfiguration());
        checkTarget(fs, "--model", model);
        checkTarget(fs, "--assignments", assignments);

        Dataset<Row> customers = read(spark);
        List<String> columns = featureColumns(customers);
        output.progress("input %s: features %s", input, String.join(", ", columns));
        checkValues(customers, columns);

        SegmentaKMeans kmeans = new SegmentaKMeans().setK(k).setSeed(seed).setMaxIter(maxIterations).setTol(tolerance)
                .setInitMode(init).setInitSteps(initSteps).setBackend(backend).setPredictionCol("segment");
        if (weightColumn != null) {
            kmeans.setWeightCol(weightColumn);
        }
        List<PipelineStage> stages = new ArrayList<>();
        Dataset<Row> prepared = customers;
        if (scale.equals("none")) {
            kmeans.setInputCols(columns.toArray(new String[0]));
        } else {
            VectorAssembler assembler = new VectorAssembler().setInputCols(columns.toArray(new String[0]))
                    .setOutputCol("segmenta_raw");
            PipelineStage scaler = scale.equals("zscore")
                    ? new StandardScaler().setInputCol("segmenta_raw").setOutputCol("segmenta_features").setWithMean(true)
                    : new MinMaxScaler().setInputCol("segmenta_raw").setOutputCol("segmenta_features");
            PipelineModel preparation = new Pipeline().setStages(new PipelineStage[] {assembler, scaler}).fit(customers);
            stages.addAll(List.of(preparation.stages()));
            prepared = preparation.transform(customers);
            kmeans.setFeaturesCol("segmenta_features");
        }
        long start = System.nanoTime();
        SegmentaKMeansModel segments = kmeans.fit(prepared, new KMeansListener() {
            @Override
            public void iteration(int restart, int iteration, double inertia, double shift, long nanos) {
                output.progress("iteration %d: cost %.6g, %.2f s", iteration, inertia, nanos / 1e9);
            }
        });
        SegmentaKMeansModel.Summary summary = segments.summary();
        output.progress("fitted in %.1f s", (System.nanoTime() - start) / 1e9);
        stages.add(segments);
        PipelineModel fitted = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(customers);

        writeAtomically(fs, model, path -> fitted.write().save(path));
        output.progress("wrote model %s", model);
        if (assignments != null) {
            Dataset<Row> assigned = fitted.transform(customers).select(functions.col(idColumn).as("customer_id"),
                    functions.col("segment"), functions.col("distance"));
            writeAtomically(fs, assignments, path -> (assignments.endsWith(".csv")
                    ? assigned.write().option("header", "true").format("csv") : assigned.write().format("parquet"))
                    .save(path));
            output.progress("wrote assignments %s", assignments);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "k=%d, %d iterations (%s), cost %.6g, backend %s%n", k, summary.numIter(),
                summary.converged() ? "converged" : "iteration cap reached", summary.trainingCost(),
                String.join("+", summary.backends()));
        for (int j = 0; j < segments.numClusters(); j++) {
            out.printf(Locale.ROOT, "segment %d: weight %.0f%n", j, summary.clusterWeights()[j]);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void checkOptions() {
        if (k < 1 || maxIterations < 1 || initSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--k, --max-iter and --init-steps must be at least 1");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new ParameterException(spec.commandLine(), "--tol must be a finite number >= 0, got " + tolerance);
        }
        if (!List.of("zscore", "minmax", "none").contains(scale)) {
            throw new ParameterException(spec.commandLine(), "--scale must be one of zscore, minmax, none; got '"
                    + scale + "'");
        }
        if (!List.of(SegmentaKMeansParams.K_MEANS_PARALLEL, SegmentaKMeansParams.RANDOM).contains(init)) {
            throw new ParameterException(spec.commandLine(), "--init must be k-means|| or random; got '" + init + "'");
        }
        Kernels.select(backend);
    }

    private void checkTarget(FileSystem fs, String option, String path) throws IOException {
        if (path != null && !overwrite && fs.exists(new Path(path))) {
            throw new ParameterException(spec.commandLine(), option + " " + path
                    + " already exists; pass --overwrite to replace it");
        }
    }

    private Dataset<Row> read(SparkSession spark) {
        String name = format != null ? format.toLowerCase(Locale.ROOT)
                : input.endsWith(".csv") ? "csv" : input.endsWith(".json") ? "json" : input.endsWith(".orc") ? "orc"
                : "parquet";
        if (!List.of("parquet", "orc", "json", "csv").contains(name)) {
            throw new ParameterException(spec.commandLine(), "--format must be one of parquet, orc, json, csv; got '"
                    + format + "'");
        }
        return spark.read().format(name).option("header", "true").option("inferSchema", "true").load(input);
    }

    private List<String> featureColumns(Dataset<Row> customers) {
        List<String> names = List.of(customers.schema().fieldNames());
        if (features != null) {
            for (String feature : features) {
                if (!names.contains(feature)) {
                    throw new BadInputException(input + ": no column named '" + feature + "'; available columns: "
                            + String.join(", ", names));
                }
            }
            return features;
        }
        List<String> chosen = new ArrayList<>();
        for (StructField field : customers.schema().fields()) {
            String name = field.name();
            if (field.dataType() instanceof NumericType && !name.equals(idColumn) && !name.equals(weightColumn)
                    && !exclude.contains(name)) {
                chosen.add(name);
            }
        }
        if (chosen.isEmpty()) {
            throw new BadInputException(input + ": no numeric feature columns; name them with --features");
        }
        return chosen;
    }

    /**
     * One pass that finds, per feature, the rows that are null, NaN or infinite, so the message names
     * the input's own column and a customer rather than a scaled vector's position.
     */
    private void checkValues(Dataset<Row> customers, List<String> columns) {
        for (String name : columns) {
            if (!(customers.schema().apply(name).dataType() instanceof NumericType)) {
                throw new BadInputException(input + ": column '" + name + "' has type "
                        + customers.schema().apply(name).dataType().simpleString() + "; features must be numeric");
            }
        }
        boolean hasId = List.of(customers.schema().fieldNames()).contains(idColumn);
        List<Column> checks = new ArrayList<>();
        for (String name : columns) {
            Column value = functions.col(name).cast("double");
            Column bad = value.isNull().or(functions.isnan(value)).or(functions.abs(value).equalTo(
                    Double.POSITIVE_INFINITY));
            checks.add(functions.sum(functions.when(bad, 1).otherwise(0)).as(name));
            if (hasId) {
                checks.add(functions.min(functions.when(bad, functions.col(idColumn).cast("string"))).as(name + "#"));
            }
        }
        Row counts = customers.agg(checks.getFirst(), checks.subList(1, checks.size()).toArray(new Column[0])).first();
        for (int c = 0, at = 0; c < columns.size(); c++, at += hasId ? 2 : 1) {
            long bad = counts.isNullAt(at) ? 0 : counts.getLong(at);
            if (bad > 0) {
                throw new BadInputException(input + ": column '" + columns.get(c) + "' is null, NaN or infinite in "
                        + bad + " rows" + (hasId ? " (" + idColumn + " " + counts.getString(at + 1) + " among them)" : "")
                        + "; remove those rows or fill in the values");
            }
        }
    }

    /** Writes {@code target} through a temporary sibling, renamed onto it once complete. */
    private void writeAtomically(FileSystem fs, String target, Writer writer) throws IOException {
        Path destination = new Path(target);
        Path temporary = new Path(destination.getParent(), "." + destination.getName() + ".tmp-" + UUID.randomUUID());
        try {
            writer.write(temporary.toString());
            if (fs.exists(destination) && !fs.delete(destination, true)) {
                throw new IOException(target + ": could not remove the previous output");
            }
            if (!fs.rename(temporary, destination)) {
                throw new IOException(target + ": could not move the finished output into place from " + temporary);
            }
        } finally {
            if (fs.exists(temporary)) {
                fs.delete(temporary, true);
            }
        }
    }

    @FunctionalInterface
    private interface Writer {
        void write(String path) throws IOException;
    }

    static int exitCode(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            switch (cause) {
                case BadInputException ignored -> {
                    return ExitCodes.BAD_INPUT;
                }
                case AnalysisException ignored -> {
                    return ExitCodes.BAD_INPUT;
                }
                case BackendUnavailableException ignored -> {
                    return ExitCodes.USAGE;
                }
                case ParameterException ignored -> {
                    return ExitCodes.USAGE;
                }
                case IOException ignored -> {
                    return ExitCodes.IO;
                }
                case UncheckedIOException ignored -> {
                    return ExitCodes.IO;
                }
                default -> {
                }
            }
        }
        return ExitCodes.INTERNAL;
    }

    private static String message(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadInputException || cause instanceof BackendUnavailableException
                    || cause instanceof AnalysisException || cause instanceof IOException) {
                String text = cause.getMessage();
                return text == null ? cause.toString() : text.lines().findFirst().orElse(text);
            }
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
