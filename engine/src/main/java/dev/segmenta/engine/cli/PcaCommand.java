package dev.segmenta.engine.cli;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.prep.Covariance;
import dev.segmenta.engine.prep.Pca;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Principal components of a customers file, streamed: one pass for the covariance, one to write the projection. */
@Command(name = "pca",
        header = "Project customers onto their principal components.",
        description = "Scales the features (z-score by default, as 'fit' does), computes their covariance in one streamed "
                + "pass and its eigen-decomposition, prints the explained variance of every component and the loadings "
                + "of the kept ones, and writes customer_id, pc1..pcN per customer in a second streamed pass. Memory "
                + "stays at a few blocks whatever the file size.",
        footer = {"", "Examples:",
                "  segmenta pca --input customers.parquet --components 2 --out projected.parquet",
                "  segmenta pca -i customers.csv --components 3 --scale none --out projected.csv"},
        mixinStandardHelpOptions = true)
final class PcaCommand implements Callable<Integer> {

    @Mixin
    InputOptions input;

    @Option(names = {"-n", "--components"}, paramLabel = "N", defaultValue = "2",
            description = "Components to keep and write. Default: ${DEFAULT-VALUE}.")
    int components;

    @Option(names = "--scale", paramLabel = "METHOD", defaultValue = Scaling.ZSCORE,
            description = "Feature scaling before the analysis: zscore (PCA of the correlation matrix), minmax or none "
                    + "(PCA of the raw covariance, dominated by the features with the largest units). Default: ${DEFAULT-VALUE}.")
    String scale;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Where to write customer_id, pc1..pcN (.parquet, .csv, .arrow or .arrows), atomically.")
    Path out;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--components", components);
        Options.scaling(spec, scale);
        Options.tableOutput(spec, "--out", out);
        long start = System.nanoTime();
        try (BlockExecutor executor = threads.executor(spec)) {
            List<String> names;
            FeatureStats stats;
            Covariance raw;
            try (FeatureSource source = FeatureSource.open(input.input(), input.readOptions())) {
                names = source.featureNames();
                if (components > names.size()) {
                    throw new ParameterException(spec.commandLine(), "--components " + components
                            + " asks for more components than the " + names.size() + " features; use at most "
                            + names.size());
                }
                FeatureStats.Accumulator moments = new FeatureStats.Accumulator(names.size());
                Covariance.Accumulator covariance = new Covariance.Accumulator(names.size());
                long read = 0;
                for (List<FeatureBatch> group = next(source, executor); !group.isEmpty(); group = next(source, executor)) {
                    for (FeatureBatch batch : group) {
                        moments.add(batch);
                        read += batch.rows();
                    }
                    covariance.addAll(group, executor);
                    output.throttledProgress("covariance: read %,d customers", read);
                }
                stats = moments.result();
                if (stats.count() < 2) {
                    throw new BadInputException(input.input() + ": has " + stats.count()
                            + " customer(s); principal components need at least 2");
                }
                raw = covariance.result();
            }
            Scaling scaling = Scaling.fit(scale, stats);
            Pca all = Pca.fit(raw.scaled(scaling), names.size());
            Pca kept = all.leading(components);
            output.progress("covariance of %,d customers x %d features in %.2f s", stats.count(), names.size(),
                    (System.nanoTime() - start) / 1e9);
            long rows = write(scaling, kept, executor);
            PrintWriter console = spec.commandLine().getOut();
            console.printf(Locale.ROOT, "pca of %,d customers x %d features (%s scaling) in %.2f s -> %s%n", rows,
                    names.size(), scaling.method(), (System.nanoTime() - start) / 1e9, out);
            console.println(explained(all));
            console.print(loadings(kept, names));
            console.flush();
        }
        return ExitCodes.OK;
    }

    /** Up to {@code threads} blocks, read in file order; empty at the end of the file. */
    private static List<FeatureBatch> next(FeatureSource source, BlockExecutor executor) {
        List<FeatureBatch> group = new ArrayList<>(executor.threads());
        for (FeatureBatch batch; group.size() < executor.threads() && (batch = source.next()) != null; ) {
            group.add(batch);
        }
        return group;
    }

    /** The second pass: scale, project and write each block, the projections of a group computed in parallel. */
    private long write(Scaling scaling, Pca pca, BlockExecutor executor) throws IOException {
        long rows = 0;
        try (FeatureSource source = FeatureSource.open(input.input(), input.readOptions())) {
            List<Column> schema = new ArrayList<>();
            schema.add(new Column("customer_id", source.idType()));
            for (String name : pca.columnNames()) {
                schema.add(new Column(name, ColumnType.FLOAT32));
            }
            try (TableWriter writer = TableWriter.open(out, schema)) {
                for (List<FeatureBatch> read = next(source, executor); !read.isEmpty(); read = next(source, executor)) {
                    List<FeatureBatch> group = read;
                    FeatureBatch[] projected = new FeatureBatch[group.size()];
                    executor.forEachBlock(group.size(), b -> {
                        scaling.apply(group.get(b));
                        projected[b] = pca.project(group.get(b));
                    });
                    for (FeatureBatch block : projected) {
                        int n = block.rows();
                        Object[] columns = new Object[pca.count() + 1];
                        columns[0] = block.ids();
                        for (int c = 0; c < pca.count(); c++) {
                            columns[c + 1] = Arrays.copyOfRange(block.values(), c * n, (c + 1) * n);
                        }
                        writer.write(n, columns);
                        rows += n;
                    }
                    output.throttledProgress("projected %,d customers", rows);
                }
                writer.commit();
            }
        }
        return rows;
    }

    /** One line per component: its share of the variance and the running total. */
    static String explained(Pca pca) {
        StringBuilder text = new StringBuilder("component  explained variance  cumulative");
        double cumulative = 0;
        for (int c = 0; c < pca.count(); c++) {
            cumulative += pca.explainedVarianceRatio()[c];
            text.append(String.format(Locale.ROOT, "%n%-10s %17.2f%% %10.2f%%", pca.columnNames().get(c),
                    100 * pca.explainedVarianceRatio()[c], 100 * cumulative));
        }
        return text.toString();
    }

    /** The kept components' loadings, one row per feature. */
    private static String loadings(Pca pca, List<String> features) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%nloadings%n%-24s", "feature"));
        for (String name : pca.columnNames()) {
            text.append(String.format(Locale.ROOT, " %8s", name));
        }
        text.append('\n');
        for (int f = 0; f < features.size(); f++) {
            text.append(String.format(Locale.ROOT, "%-24s", features.get(f)));
            for (int c = 0; c < pca.count(); c++) {
                text.append(String.format(Locale.ROOT, " %+8.4f", pca.components()[c][f]));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
