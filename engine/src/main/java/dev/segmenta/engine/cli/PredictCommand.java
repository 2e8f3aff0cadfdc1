package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.DbscanPredictor;
import dev.segmenta.engine.cluster.SpatialIndex;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.KMeansKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Assigns customers to the segments of a saved model, streaming the input block by block. */
@Command(name = "predict",
        header = "Assign customers to the segments of a saved model.",
        description = "Reads the model's features from the input, applies the model's scaling and writes customer_id, segment, "
                + "distance per customer. k-means and hierarchical models assign the nearest segment centroid; a DBSCAN "
                + "model assigns the segment of the nearest core point within eps, else -1 (noise), with the distance "
                + "to that core point. Streams block by block, so inputs of any size run in bounded memory (plus a "
                + "DBSCAN model's core points).",
        footer = {"", "Example:",
                "  segmenta predict --model model.json --input new_customers.parquet --out scored.csv"},
        mixinStandardHelpOptions = true)
final class PredictCommand implements Callable<Integer> {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Model written by 'segmenta fit'.")
    Path modelFile;

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "Customers to assign (.parquet, .arrow/.feather, .arrows or .csv) with the model's feature columns.")
    Path input;

    @Option(names = "--id-column", paramLabel = "COL", defaultValue = "customer_id",
            description = "Customer id column; when absent, ids are row numbers (0-based). Default: ${DEFAULT-VALUE}.")
    String idColumn;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Where to write the assignments (.parquet, .csv, .arrow or .arrows), atomically.")
    Path out;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.tableOutput(spec, "--out", out);
        SegmentModel model = ModelFile.read(modelFile);
        KMeansKernels kernels = backendOptions.select(output).kernels();
        Labeller labeller = labeller(model, kernels);
        long[] sizes = new long[model.k()];
        long noise = 0;
        long rows = 0;
        long start = System.nanoTime();
        try (FeatureSource source = FeatureSource.open(input,
                ReadOptions.defaults().withFeatures(model.features()).withIdColumn(idColumn));
             Assignments writer = new Assignments(out, source.idType())) {
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                model.scaling().apply(batch);
                int n = batch.rows();
                int[] labels = new int[n];
                float[] distances = new float[n];
                labeller.label(batch.values(), n, labels, distances);
                for (int label : labels) {
                    if (label < 0) {
                        noise++;
                    } else {
                        sizes[label]++;
                    }
                }
                writer.write(batch.ids(), n, labels, distances);
                rows += n;
                output.throttledProgress("assigned %,d customers", rows);
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "assigned %,d customers to %d segments in %.2f s (%.2f M customers/s) -> %s%n",
                rows, model.k(), seconds, rows / seconds / 1e6, out);
        for (int j = 0; j < model.k(); j++) {
            console.printf(Locale.ROOT, "segment %d: %,d customers (%.1f%%)%n", j, sizes[j],
                    rows == 0 ? 0 : 100.0 * sizes[j] / rows);
        }
        if (model.density() != null) {
            console.printf(Locale.ROOT, "noise (segment -1): %,d customers (%.1f%%)%n", noise,
                    rows == 0 ? 0 : 100.0 * noise / rows);
        }
        console.flush();
        return ExitCodes.OK;
    }

    /** Segment and squared distance for each customer of a scaled column-major block. */
    @FunctionalInterface
    private interface Labeller {
        void label(float[] x, int n, int[] labels, float[] squaredDistances);
    }

    /**
     * A DBSCAN model labels by its core points (nearest within eps, else noise); every other model
     * by its nearest centroid.
     */
    private static Labeller labeller(SegmentModel model, KMeansKernels kernels) {
        SegmentModel.Density density = model.density();
        if (density != null) {
            DbscanPredictor predictor = new DbscanPredictor(density.corePoints(), density.coreSegments(),
                    model.dimensions(), density.eps(), SpatialIndex.AUTO, kernels);
            return predictor::predict;
        }
        float[] centroids = model.flatCentroids();
        return (x, n, labels, distances) -> kernels.assign(x, n, model.dimensions(), centroids, model.k(), labels,
                distances);
    }
}
