package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.engine.cluster.StreamedAssignment;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.eval.Drift;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.PreparedInput;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.io.FeatureSource;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/** Compares two populations through a saved model and says whether the segmentation still fits. */
@Command(name = "drift",
        header = "Compare customers before and after, through a saved model, and say whether to re-cluster.",
        description = "Assigns both files with the model (same preparation and scaling as 'predict') and compares the segment "
                + "shares and each feature's distribution (--bins equal-width bins over the before file's range, plus one "
                + "below and one above it) by Jensen-Shannon divergence in bits: 0 = same, 1 = disjoint. Re-clustering is "
                + "advised when the largest divergence exceeds --threshold. Reads the before file twice and the after "
                + "file once, streaming. Exit code 0 either way, unless --fail-on-drift.",
        footer = {"", "Examples:",
                "  segmenta drift --model model.json --before january.parquet --after june.parquet",
                "  segmenta drift -m model.json --before a.parquet --after b.parquet --threshold 0.05 --json drift.json --fail-on-drift"},
        mixinStandardHelpOptions = true)
final class DriftCommand implements Callable<Integer> {

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Model written by 'segmenta fit'.")
    Path modelFile;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = "--before", required = true, paramLabel = "FILE",
            description = "The reference customers (e.g. the training file), with the model's feature columns.")
    Path before;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = "--after", required = true, paramLabel = "FILE", description = "The customers to compare with them.")
    Path after;

    @Option(names = "--threshold", paramLabel = "JSD", defaultValue = "" + Drift.DEFAULT_THRESHOLD,
            description = "Re-clustering is advised when the largest divergence (of the shares or of any feature) "
                    + "exceeds this. Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--bins", paramLabel = "N", defaultValue = "" + Drift.DEFAULT_BINS,
            description = "Equal-width bins per feature, at most " + Drift.MAX_BINS + ". Default: ${DEFAULT-VALUE}.")
    int bins;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the comparison as JSON, atomically, for batch jobs.")
    Path json;

    @Option(names = "--fail-on-drift",
            description = "Exit with code " + ExitCodes.DRIFT + " when re-clustering is advised, so a batch job can branch on it.")
    boolean failOnDrift;

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
        Options.positive(spec, "--bins", bins);
        Options.atMost(spec, "--bins", bins, Drift.MAX_BINS);
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new ParameterException(spec.commandLine(), "--threshold must be between 0 and 1 (bits), got " + threshold);
        }
        Options.writableTarget(json);
        SegmentModel model = ModelFile.readCentroidModel(modelFile, "drift");
        KMeansKernels kernels = backendOptions.select(output).kernels();
        PreparedInput beforeInput = scoring.prepare(spec, model, before, output);
        PreparedInput afterInput = scoring.prepare(spec, model, after, output);
        double[][] ranges;
        try (FeatureSource source = beforeInput.open()) {
            ranges = Drift.ranges(source, model.scaling());
        }
        Drift.Population beforePopulation;
        Drift.Population afterPopulation;
        try (BlockExecutor executor = threads.executor(spec)) {
            StreamedAssignment assignment = new StreamedAssignment(kernels, executor);
            beforePopulation = assign(assignment, beforeInput, model, ranges);
            afterPopulation = assign(assignment, afterInput, model, ranges);
        }
        Drift.Report report = Drift.compare(beforePopulation, afterPopulation, model.features(), model.scaling(), threshold);
        print(model, beforePopulation, afterPopulation, report);
        if (json != null) {
            writeJson(model, beforePopulation, afterPopulation, report);
            output.progress("wrote %s", json);
        }
        return report.reclusterAdvised() && failOnDrift ? ExitCodes.DRIFT : ExitCodes.OK;
    }

    private Drift.Population assign(StreamedAssignment assignment, PreparedInput input, SegmentModel model,
                                    double[][] ranges) {
        Drift.Population population = new Drift.Population(model.k(), ranges, bins);
        try (FeatureSource source = input.open()) {
            assignment.forEach(source, model.scaling(), model.pca(), model.flatCentroids(), model.k(),
                    (block, labels, distances) -> {
                        population.add(block, labels);
                        output.throttledProgress("%s: assigned %,d customers", input.file(), population.customers());
                    });
        }
        return population;
    }

    private void print(SegmentModel model, Drift.Population a, Drift.Population b, Drift.Report report) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "drift of %s: before %s (%,d customers), after %s (%,d customers)%n", modelFile, before,
                a.customers(), after, b.customers());
        out.printf(Locale.ROOT, "%-32s %8s %14s %14s%n", "", "JSD", "before", "after");
        out.printf(Locale.ROOT, "%-32s %8.4f%n", "segment shares", report.shareDivergence());
        for (int j = 0; j < model.k(); j++) {
            out.printf(Locale.ROOT, "  %-30s %8s %13.1f%% %13.1f%%%n", abbreviate(j + " " + model.segmentLabels().get(j), 30),
                    "", 100 * a.share(j), 100 * b.share(j));
        }
        for (int f = 0; f < model.dimensions(); f++) {
            String name = model.features().get(f) + (model.preparation().log1p().contains(model.features().get(f))
                    ? " (log1p)" : "");
            out.printf(Locale.ROOT, "%-32s %8.4f %14.6g %14.6g  (mean)%n", abbreviate(name, 32),
                    report.featureDivergence()[f], report.beforeMeans()[f], report.afterMeans()[f]);
        }
        out.printf(Locale.ROOT, "largest divergence %.4f (%s) %s threshold %s: %s%n", report.largest(), report.largestOf(),
                report.reclusterAdvised() ? ">" : "<=", threshold,
                report.reclusterAdvised() ? "re-clustering advised" : "the segmentation still fits");
        out.flush();
    }

    private static String abbreviate(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    private void writeJson(SegmentModel model, Drift.Population a, Drift.Population b, Drift.Report report)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("model", modelFile.toString());
        root.putObject("before").put("file", before.toString()).put("customers", a.customers());
        root.putObject("after").put("file", after.toString()).put("customers", b.customers());
        root.put("bins", bins);
        root.put("threshold", threshold);
        ObjectNode shares = root.putObject("segmentShares");
        shares.put("jsd", report.shareDivergence());
        ArrayNode segments = shares.putArray("segments");
        for (int j = 0; j < model.k(); j++) {
            segments.addObject().put("segment", j).put("label", model.segmentLabels().get(j))
                    .put("before", a.share(j)).put("after", b.share(j));
        }
        ArrayNode features = root.putArray("features");
        for (int f = 0; f < model.dimensions(); f++) {
            features.addObject().put("name", model.features().get(f))
                    .put("log1p", model.preparation().log1p().contains(model.features().get(f)))
                    .put("jsd", report.featureDivergence()[f])
                    .put("beforeMean", report.beforeMeans()[f]).put("afterMean", report.afterMeans()[f]);
        }
        root.put("largestJsd", report.largest());
        root.put("largestOf", report.largestOf());
        root.put("reclusterAdvised", report.reclusterAdvised());
        byte[] bytes = mapper.writeValueAsBytes(root);
        AtomicFiles.write(json, stream -> stream.write(bytes));
    }
}
