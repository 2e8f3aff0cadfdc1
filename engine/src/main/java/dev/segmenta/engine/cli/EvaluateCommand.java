package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.eval.Evaluation;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.eval.Silhouette;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.kernels.KMeansKernels;
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

/** Quality metrics and segment profiles of a saved model on a customers file. */
@Command(name = "evaluate",
        header = "Judge a model's segments: silhouette, Calinski-Harabasz, Davies-Bouldin, profiles.",
        description = "Prepares the customers as 'predict' does and assigns them to the model's segments (with the model's "
                + "scaling and PCA), then prints the "
                + "silhouette (exact for small data, otherwise estimated from a stratified sample with a 95%% interval), "
                + "the Calinski-Harabasz and Davies-Bouldin indices and the inertia, all in the model's space and "
                + "defined as in scikit-learn, and per segment its size, share, mean silhouette and, in original units, "
                + "the mean, median, minimum and maximum of every feature and the features that most set it apart. "
                + "Holds the customers in memory: about 4 x features + 8 bytes per customer, plus the id.",
        footer = {"", "Examples:",
                "  segmenta evaluate --model model.json --input customers.parquet",
                "  segmenta evaluate -m model.json -i customers.parquet --silhouette-sample 50000 --json evaluation.json"},
        mixinStandardHelpOptions = true)
final class EvaluateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    EvaluationOptions evaluation;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--json", paramLabel = "FILE", description = "Also write everything printed as JSON, atomically.")
    Path json;

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
        Options.writableTarget(json);
        KMeansKernels kernels = backendOptions.select(output).kernels();
        try (BlockExecutor executor = threads.executor(spec)) {
            EvaluationOptions.Evaluated run = evaluation.evaluate(spec, output, kernels, executor);
            List<String> features = run.model().features();
            PrintWriter out = spec.commandLine().getOut();
            Evaluation.Seconds parts = run.evaluation().seconds();
            out.printf(Locale.ROOT, "evaluated %,d customers x %d features against %s (%s, k=%d) in %.2f s "
                            + "(silhouette %.2f s, Calinski-Harabasz and Davies-Bouldin %.2f s, profiles %.2f s)%n",
                    run.evaluation().rows(), features.size(), evaluation.modelFile, run.model().algorithm(),
                    run.model().k(), run.seconds(), parts.silhouette(), parts.separation(), parts.profiles());
            out.print(metrics(run.evaluation()));
            out.println();
            out.print(SegmentProfile.table(run.evaluation().profiles(), features));
            out.println();
            out.println("profiles in original units:");
            out.print(SegmentProfile.detail(run.evaluation().profiles(), features));
            out.flush();
            if (json != null) {
                byte[] bytes = JSON.writeValueAsBytes(run.evaluation().toMap(features));
                AtomicFiles.write(json, stream -> stream.write(bytes));
                output.progress("wrote %s", json);
            }
        }
        return ExitCodes.OK;
    }

    /** The metric lines, then each segment's size, share and mean silhouette. */
    static String metrics(Evaluation e) {
        StringBuilder text = new StringBuilder();
        Silhouette.Estimate s = e.silhouette();
        text.append(String.format(Locale.ROOT, "%-19s %.4f", "silhouette", s.value()));
        if (s.exact()) {
            text.append(String.format(Locale.ROOT, "           (exact: all %,d customers; -1 to 1, higher is better)%n",
                    s.population()));
        } else {
            text.append(String.format(Locale.ROOT, " ± %.4f  (95%% interval; stratified sample of %,d of %,d customers; "
                    + "-1 to 1, higher is better)%n", s.halfWidth95(), s.sampleSize(), s.population()));
        }
        text.append(String.format(Locale.ROOT, "%-19s %-16s (higher is better)%n", "calinski-harabasz",
                String.format(Locale.ROOT, "%.6g", e.calinskiHarabasz())));
        text.append(String.format(Locale.ROOT, "%-19s %-16s (0 or more, lower is better)%n", "davies-bouldin",
                String.format(Locale.ROOT, "%.4f", e.daviesBouldin())));
        text.append(String.format(Locale.ROOT, "%-19s %-16s (sum of squared distances to the centroids, model space)%n",
                "inertia", String.format(Locale.ROOT, "%.6g", e.inertia())));
        text.append(String.format(Locale.ROOT, "%n%-8s %12s %7s %11s %8s%n", "segment", "customers", "share",
                "silhouette", "scored"));
        for (SegmentProfile p : e.profiles()) {
            double mean = s.segmentMeans()[p.segment()];
            text.append(String.format(Locale.ROOT, "%-8d %12d %6.1f%% %11s %8d%n", p.segment(), p.size(),
                    100 * p.share(), Double.isNaN(mean) ? "-" : String.format(Locale.ROOT, "%.4f", mean),
                    s.segmentSampleSizes()[p.segment()]));
        }
        return text.toString();
    }
}
