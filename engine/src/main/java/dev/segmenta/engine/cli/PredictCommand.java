package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.DbscanPredictor;
import dev.segmenta.engine.cluster.SpatialIndex;
import dev.segmenta.engine.cluster.StreamedAssignment;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentLabels;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.PreparationCounts;
import dev.segmenta.engine.prep.PreparedInput;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.kernels.KMeansKernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Assigns customers to the segments of a saved model, streaming the input block by block. */
@Command(name = "predict",
        header = "Assign customers to the segments of a saved model.",
        description = "Reads the model's features from the input, prepares them as the training data was (the model's "
                + "imputation with its fitted fill values, de-duplication, log1p, scaling, PCA projection) and writes customer_id, segment, "
                + "segment_label, distance per customer: the CRM export. k-means and hierarchical models assign the "
                + "nearest segment centroid; a DBSCAN model assigns the segment of the nearest core point within eps, "
                + "else -1 (noise), with the distance to that core point. Streams block by block, so inputs of any "
                + "size run in bounded memory (de-duplication adds a first pass and the id table; a DBSCAN model's "
                + "core points are held once more in an index).",
        footer = {"", "Examples:",
                "  segmenta predict --model model.json --input new_customers.parquet --out scored.csv",
                "  segmenta predict --model model.json --input new_customers.parquet --labels names.json --out crm.parquet"},
        mixinStandardHelpOptions = true)
final class PredictCommand implements Callable<Integer> {

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Model written by 'segmenta fit'.")
    Path modelFile;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "Customers to assign (.parquet, .arrow/.feather, .arrows or .csv) with the model's feature columns.")
    Path input;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Where to write the assignments (.parquet, .csv, .arrow or .arrows), atomically.")
    Path out;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = "--labels", paramLabel = "FILE",
            description = "Segment names for this export instead of the model's: a JSON object such as "
                    + "{\"0\": \"Champions\"} (segments not named keep the model's name).")
    Path labels;

    @Mixin
    ScoringOptions scoring;

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
        Options.tableOutput(spec, "--out", out);
        SegmentModel model = ModelFile.read(modelFile);
        List<String> names = labels == null ? model.segmentLabels() : SegmentLabels.override(model.segmentLabels(), labels);
        KMeansKernels kernels = backendOptions.select(output).kernels();
        StreamedAssignment.Labeller labeller = labeller(model, kernels);
        long[] sizes = new long[model.k()];
        long[] noise = new long[1];
        long[] rows = new long[1];
        long start = System.nanoTime();
        PreparedInput prepared = scoring.prepare(spec, model, input, output);
        try (BlockExecutor executor = threads.executor(spec);
             FeatureSource source = prepared.open();
             Assignments writer = new Assignments(out, source.idType(), names)) {
            new StreamedAssignment(kernels, executor).forEach(source, model.scaling(), model.pca(), labeller,
                    (block, segments, distances) -> {
                        for (int segment : segments) {
                            if (segment < 0) {
                                noise[0]++;
                            } else {
                                sizes[segment]++;
                            }
                        }
                        writer.write(block.ids(), block.rows(), segments, distances);
                        rows[0] += block.rows();
                        output.throttledProgress("assigned %,d customers", rows[0]);
                    });
            if (rows[0] == 0) {
                throw new BadInputException(input + ": no customers left to assign after preparation ("
                        + PreparationOptions.summary(model.preparation(), prepared.counts()) + ")");
            }
            writer.commit();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "assigned %,d customers to %d segments in %.2f s (%.2f M customers/s) -> %s%n",
                rows[0], model.k(), seconds, rows[0] / seconds / 1e6, out);
        PreparationCounts counts = prepared.counts();
        String preparation = PreparationOptions.summary(prepared.preparation(), counts);
        if (preparation != null) {
            console.println(preparation);
        }
        for (int j = 0; j < model.k(); j++) {
            console.printf(Locale.ROOT, "segment %d: %,d customers (%.1f%%) %s%n", j, sizes[j],
                    100.0 * sizes[j] / rows[0], names.get(j));
        }
        if (model.density() != null) {
            console.printf(Locale.ROOT, "segment -1: %,d customers (%.1f%%) %s%n", noise[0], 100.0 * noise[0] / rows[0],
                    Assignments.NOISE);
        }
        console.flush();
        return ExitCodes.OK;
    }

    /**
     * A DBSCAN model labels by its core points (nearest within eps, else noise); every other model
     * by its nearest centroid.
     */
    private static StreamedAssignment.Labeller labeller(SegmentModel model, KMeansKernels kernels) {
        SegmentModel.Density density = model.density();
        if (density == null) {
            float[] centroids = model.flatCentroids();
            int d = model.spaceDimensions();
            return (x, n, labels, distances) -> kernels.assign(x, n, d, centroids, model.k(), labels, distances);
        }
        return new DbscanPredictor(density.corePoints(), density.coreSegments(), model.dimensions(), density.eps(),
                SpatialIndex.AUTO, kernels)::predict;
    }
}
