package dev.segmenta.engine.cli;

import dev.segmenta.engine.HierarchicalSegmenter;
import dev.segmenta.engine.cluster.Agglomerative;
import dev.segmenta.engine.cluster.Dendrogram;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.PreparationCounts;
import dev.segmenta.engine.plot.DendrogramChart;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.TableWriter;
import dev.segmenta.kernels.KernelSelection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code fit --algorithm hierarchical}: the fit, its outputs (merges, dendrogram) and its summary. */
final class HierarchicalFit {

    private HierarchicalFit() {
    }

    static void run(FitCommand command, HierarchyOptions options, Agglomerative.Cut cut, KMeansParams microParams,
                    Dataset data, Preparation preparation, PreparationCounts counts, KernelSelection backend,
                    BlockExecutor executor) throws IOException {
        OutputOptions output = command.output;
        FitRun run = new FitRun(output, Initialization.KMEANS_PARALLEL, false);
        HierarchicalSegmenter.Outcome outcome = HierarchicalSegmenter.fit(data, preparation, options.linkage, cut,
                options.microClusters, microParams, command.scale, backend.kernels(), executor, run,
                (phase, nanos) -> output.progress("%s in %.2f s", phase, nanos / 1e9), command.input.input().toString(),
                Version.segmenta());
        SegmentModel model = command.labelled(outcome.model());
        Agglomerative.Fit fit = outcome.fit();
        if (command.assignments != null) {
            Assignments.write(command.assignments, model.segmentLabels(), data, fit.labels(),
                    fit.partition().squaredDistance());
            output.progress("wrote %,d assignments to %s", data.rows(), command.assignments);
        }
        if (options.merges != null) {
            writeMerges(fit.dendrogram(), options.merges);
            output.progress("wrote %,d merges to %s", fit.dendrogram().merges(), options.merges);
        }
        if (options.dendrogram != null) {
            String title = String.format(Locale.ROOT, "%s linkage of %,d %s, cut into %d segments at height %.4g",
                    options.linkage.label(), fit.dendrogram().leaves(),
                    fit.microClusters() != null ? "micro-clusters" : "customers", fit.clusters(), fit.cutHeight());
            DendrogramChart.write(fit.dendrogram(), options.dendrogramLeaves, fit.clusters(), fit.cutHeight(), title,
                    options.dendrogram);
            output.progress("wrote the dendrogram to %s", options.dendrogram);
        }
        command.writeModel(model);
        String leaves = fit.microClusters() == null ? "exact, " + fit.dendrogram().merges() + " merges"
                : String.format(Locale.ROOT, "dendrogram of %,d micro-clusters after %d k-means iterations",
                fit.dendrogram().leaves(), fit.microClusters().iterations());
        String summary = String.format(Locale.ROOT, "hierarchical %s k=%d segments of %,d customers x %d features "
                        + "| inertia %.6g | cut at height %.6g | %s | fit %.3f s | backend %s, %d threads",
                options.linkage.label(), fit.clusters(), data.rows(), data.dimensions(), model.inertia(),
                fit.cutHeight(), leaves, outcome.nanos() / 1e9, backend.kernels().name(), executor.threads());
        command.printResult(summary, model, SegmentProfile.of(data, fit.labels(), fit.clusters(), model.scaling(),
                model.preparation().log1p(), false, executor), counts);
    }

    /** scipy's linkage matrix, one row per merge. */
    private static void writeMerges(Dendrogram z, Path target) throws IOException {
        int m = z.merges();
        long[] left = new long[m];
        long[] right = new long[m];
        double[] height = new double[m];
        double[] size = new double[m];
        for (int i = 0; i < m; i++) {
            left[i] = z.left(i);
            right[i] = z.right(i);
            height[i] = z.height(i);
            size[i] = z.size(i);
        }
        try (TableWriter writer = TableWriter.open(target, List.of(new Column("left", ColumnType.INT64),
                new Column("right", ColumnType.INT64), new Column("height", ColumnType.FLOAT64),
                new Column("size", ColumnType.FLOAT64)))) {
            writer.write(m, left, right, height, size);
            writer.commit();
        }
    }
}
