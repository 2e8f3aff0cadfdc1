package dev.segmenta.engine.cli;

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
        description = "Reads the model's features from the input, applies the model's scaling (and PCA projection, if any) and writes customer_id, segment, "
                + "distance per customer. Streams block by block, so inputs of any size run in bounded memory.",
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
        float[] centroids = model.flatCentroids();
        long[] sizes = new long[model.k()];
        long rows = 0;
        long start = System.nanoTime();
        try (FeatureSource source = FeatureSource.open(input,
                ReadOptions.defaults().withFeatures(model.features()).withIdColumn(idColumn));
             Assignments writer = new Assignments(out, source.idType())) {
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                FeatureBatch space = model.toModelSpace(batch);
                int n = batch.rows();
                int[] labels = new int[n];
                float[] distances = new float[n];
                kernels.assign(space.values(), n, model.spaceDimensions(), centroids, model.k(), labels, distances);
                for (int label : labels) {
                    sizes[label]++;
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
        console.flush();
        return ExitCodes.OK;
    }
}
