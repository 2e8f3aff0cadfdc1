package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.eval.Evaluation;
import dev.segmenta.engine.eval.Silhouette;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.PreparedInput;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.kernels.KMeansKernels;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** A saved model, the customers to judge it on, and how to score the silhouette: shared by {@code evaluate} and {@code report}. */
public final class EvaluationOptions {

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "Model written by 'segmenta fit'.")
    Path modelFile;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "Customers (.parquet, .arrow/.feather, .arrows or .csv) with the model's feature columns; "
                    + "usually the file the model was fitted on.")
    Path input;

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--silhouette-sample", paramLabel = "N", defaultValue = "" + Silhouette.DEFAULT_SAMPLE,
            description = "Customers whose silhouette is computed (exactly, against every customer) to estimate the score, "
                    + "stratified by segment; the score's 95%% interval is printed. With no more customers than N the "
                    + "score is exact. Default: ${DEFAULT-VALUE}.")
    int silhouetteSample;

    @Option(names = "--exact-silhouette",
            description = "Score every customer: O(N^2) distance evaluations, minutes beyond about 100,000 customers.")
    boolean exactSilhouette;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the silhouette sample. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** The model, the customers in its space with their segments, and the metrics. */
    record Evaluated(SegmentModel model, Segmenter.Assigned assigned, Evaluation evaluation, double seconds) { }

    /**
     * Reads the model (first, so a bad model fails before the data is read) and the input, prepared as the
     * training data was (the model's imputation, de-duplication and log1p), assigns and scores.
     */
    Evaluated evaluate(CommandSpec spec, OutputOptions output, KMeansKernels kernels, BlockExecutor executor) {
        Options.positive(spec, "--silhouette-sample", silhouetteSample);
        SegmentModel model = ModelFile.readCentroidModel(modelFile, spec.name());
        long start = System.nanoTime();
        output.progress("reading %s", input);
        PreparedInput prepared = scoring.prepare(spec, model, input, output);
        Dataset data;
        try (FeatureSource source = prepared.open()) {
            data = DatasetLoader.load(source, null, rows -> output.throttledProgress("read %,d customers", rows));
        }
        if (data.rows() == 0) {
            throw new BadInputException(input + ": no customers left to evaluate after preparation");
        }
        output.progress("read %,d customers x %d features; assigning and scoring", data.rows(), data.dimensions());
        Segmenter.Assigned assigned;
        try {
            assigned = Segmenter.assign(model, data, kernels, executor);
        } catch (BadInputException e) {
            throw e.inFile(input);
        }
        Evaluation evaluation = Evaluation.of(model, assigned, exactSilhouette ? 0 : silhouetteSample, seed, kernels,
                executor, input.toString());
        return new Evaluated(model, assigned, evaluation, (System.nanoTime() - start) / 1e9);
    }
}
