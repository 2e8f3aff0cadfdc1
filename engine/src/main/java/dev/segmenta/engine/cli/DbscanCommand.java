package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.cluster.KDistance;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.plot.KDistanceChart;
import dev.segmenta.engine.prep.PreparationSpec;
import dev.segmenta.engine.prep.PreparedInput;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Helps choose DBSCAN's eps: the k-distance curve, its plot, and the eps at its knee. */
@Command(name = "dbscan",
        header = "Suggest DBSCAN's eps from the k-distance curve (the fit is 'segmenta fit --algorithm dbscan').",
        description = "For a sample of customers, computes the distance to the --min-samples-th nearest customer "
                + "(itself included) in the scaled feature space 'fit' would use, sorts these k-distances, writes the "
                + "curve (CSV/Parquet/Arrow) and its plot (PNG), and prints the eps at the knee of the curve (Kneedle): "
                + "the customers left of the knee would be core points. Give it the preparation options the fit will "
                + "use (--impute, --dedup, --log1p). Memory: the file once more as a k-d tree, about 4 x features + "
                + "4 bytes per customer.",
        footer = {"", "Example:",
                "  segmenta dbscan --suggest-eps --input customers.parquet --min-samples 10 --curve kdist.csv --plot kdist.png",
                "  segmenta fit --input customers.parquet --algorithm dbscan --eps 0.35 --min-samples 10 --model m.json"},
        mixinStandardHelpOptions = true)
final class DbscanCommand implements Callable<Integer> {

    @Option(names = "--suggest-eps", required = true,
            description = "Compute the k-distance curve and suggest eps (what this command does).")
    boolean suggestEps;

    @Mixin
    InputOptions input;

    @Option(names = DbscanOptions.MIN_SAMPLES, paramLabel = "N", defaultValue = "" + Dbscan.DEFAULT_MIN_SAMPLES,
            description = "The min-samples the fit will use: the curve is the distance to the N-th nearest customer. "
                    + "Default: ${DEFAULT-VALUE}.")
    int minSamples;

    @Option(names = "--scale", paramLabel = "METHOD", defaultValue = Scaling.ZSCORE,
            description = "Feature scaling, as the fit will use it: zscore, minmax or none. Default: ${DEFAULT-VALUE}.")
    String scale;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "" + KDistance.DEFAULT_SAMPLE,
            description = "Customers whose k-distance is measured (against all customers). Default: ${DEFAULT-VALUE}.")
    int sample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the sample. Default: ${DEFAULT-VALUE}.")
    long seed;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--curve", paramLabel = "FILE",
            description = "Write the sorted curve (rank, share, k_distance) to a .csv, .parquet, .arrow or .arrows file.")
    Path curveFile;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw the curve with the suggested eps as a PNG.")
    Path plot;

    @Mixin
    PreparationOptions preparation;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, DbscanOptions.MIN_SAMPLES, minSamples);
        Options.positive(spec, "--sample", sample);
        Options.scaling(spec, scale);
        Options.tableOutput(spec, "--curve", curveFile);
        Options.pngOutput(spec, "--plot", plot);
        PreparationSpec prepSpec = preparation.spec(spec);
        try (BlockExecutor executor = threads.executor(spec)) {
            output.progress("reading %s", input.input());
            PreparedInput prepared = PreparedInput.fit(input.input(), input.readOptions(), null, prepSpec,
                    rows -> output.throttledProgress("preparing: read %,d rows", rows));
            Dataset data = FitCommand.load(prepared, null, output, DatasetLoader.Workspace.NONE);
            FeatureStats stats = FeatureStats.of(data, executor);
            Segmenter.scale(data, scale, stats, executor);
            long start = System.nanoTime();
            KDistance.Curve curve = KDistance.of(data, minSamples, sample, seed, executor);
            output.warnAboutConstantColumns(stats, data.featureNames());
            output.progress("%d-distances of %,d customers in %.2f s", minSamples, curve.distances().length,
                    (System.nanoTime() - start) / 1e9);
            if (curveFile != null) {
                writeCurve(curve, curveFile);
                output.progress("wrote the curve to %s", curveFile);
            }
            if (plot != null) {
                KDistanceChart.write(curve, plot);
                output.progress("wrote the plot to %s", plot);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "suggested eps %.4g: the knee of the %d-distance curve of %,d sampled customers "
                            + "(of %,d); %.1f%% of them would be core points%n", curve.suggestedEps(), minSamples,
                    curve.distances().length, data.rows(), 100 * curve.coreShare());
            out.printf(Locale.ROOT, "next: segmenta fit --input %s --algorithm dbscan --eps %.4g --min-samples %d%s "
                            + "--model model.json --assignments segments.parquet%n", input.input(), curve.suggestedEps(),
                    minSamples, scale.equals(Scaling.ZSCORE) ? "" : " --scale " + scale);
            out.flush();
        } catch (BadInputException e) {
            // The scaling and the k-distances see only the data ("only 3 customers but --min-samples 5"): name the file.
            throw e.inFile(input.input());
        }
        return ExitCodes.OK;
    }

    private static void writeCurve(KDistance.Curve curve, Path target) throws IOException {
        float[] distances = curve.distances();
        int q = distances.length;
        long[] rank = new long[q];
        double[] share = new double[q];
        double[] value = new double[q];
        for (int i = 0; i < q; i++) {
            rank[i] = i + 1;
            share[i] = (i + 1) / (double) q;
            value[i] = distances[i];
        }
        try (TableWriter writer = TableWriter.open(target, List.of(new Column("rank", ColumnType.INT64),
                new Column("share", ColumnType.FLOAT64), new Column("k_distance", ColumnType.FLOAT64)))) {
            writer.write(q, rank, share, value);
            writer.commit();
        }
    }
}
