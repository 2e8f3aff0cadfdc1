package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.NotEnoughMemoryException;
import dev.segmenta.engine.eval.AdjustedRandIndex;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.generate.CustomerGenerator;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.kernels.KernelSelection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Generates synthetic customers in memory, segments them and prints what a fit prints, plus the recovery score. */
@Command(name = "demo",
        header = "Segment built-in demo data and print the segments.",
        description = "Generates synthetic retail customers with known segments in memory, fits k-means and prints segment "
                + "sizes, profiles, inertia, time and backend, and how well the known segments were recovered "
                + "(adjusted Rand index). Writes no files.",
        footer = {"", "Example:", "  segmenta demo --customers 200000 --k 5"},
        mixinStandardHelpOptions = true)
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--customers", paramLabel = "N", defaultValue = "1000000",
            description = "Synthetic customers to generate. Default: ${DEFAULT-VALUE}.")
    long customers;

    @Option(names = "--features", paramLabel = "D", defaultValue = "8",
            description = "Features per customer. Default: ${DEFAULT-VALUE}.")
    int features;

    @Option(names = "--k", paramLabel = "K", defaultValue = "8",
            description = "Segments to generate and to find. Default: ${DEFAULT-VALUE}.")
    int k;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the data and of the fit. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ThreadOptions threads;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    OutputOptions output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Options.positive(spec, "--customers", customers);
        Options.positive(spec, "--features", features);
        Options.positive(spec, "--k", k);
        Options.atMost(spec, "--features", features, CustomerGenerator.MAX_FEATURES);
        Options.atMost(spec, "--k", k, Math.min(CustomerGenerator.MAX_SEGMENTS, customers));
        PrintWriter out = spec.commandLine().getOut();
        checkMemory();
        CustomerGenerator generator = new CustomerGenerator(customers, features, k, seed);
        KernelSelection backend = backendOptions.select(output);
        try (BlockExecutor executor = threads.executor(spec)) {
            long start = System.nanoTime();
            int blocks = generator.chunkCount();
            FeatureBatch[] batches = new FeatureBatch[blocks];
            int[][] truth = new int[blocks][];
            executor.forEachBlock(blocks, b -> {
                CustomerGenerator.Block block = generator.chunk(b);
                batches[b] = block.features();
                truth[b] = block.trueSegments();
            });
            output.progress("generated %,d customers x %d features in %.2f s", customers, features,
                    (System.nanoTime() - start) / 1e9);
            Dataset data = new Dataset(List.of(batches), generator.featureNames(), null);
            KMeansParams params = new KMeansParams(k, KMeansParams.DEFAULT_MAX_ITERATIONS,
                    KMeansParams.DEFAULT_TOLERANCE, KMeansParams.DEFAULT_RESTARTS, seed);
            FitRun run = new FitRun(output, Initialization.KMEANS_PLUS_PLUS, false);
            Segmenter.Outcome outcome = Segmenter.fit(data, params, Segmenter.Variant.KMEANS,
                    Initialization.KMEANS_PLUS_PLUS, Scaling.ZSCORE, backend.kernels(), executor, run,
                    "demo data (" + customers + " synthetic customers)", Version.segmenta());

            AdjustedRandIndex ari = new AdjustedRandIndex(k, k);
            for (int b = 0; b < blocks; b++) {
                ari.add(truth[b], outcome.fit().labels()[b], batches[b].rows());
            }
            out.println(run.summary(outcome.model(), outcome.fit().result(), outcome.nanos(), backend,
                    executor.threads()));
            out.println(SegmentProfile.table(SegmentProfile.of(data, outcome.fit().labels(), k,
                    outcome.model().scaling(), outcome.model().preparation().log1p(), false, executor),
                    outcome.model().features()));
            out.printf(Locale.ROOT, "recovery of the %d generated segments: adjusted Rand index %.4f (1 = perfect)%n",
                    k, ari.value());
            out.println();
            out.println("Next: write the data to a file and fit it yourself:");
            out.println("  ./segmenta generate --customers 1000000 --out customers.parquet");
            out.println("  ./segmenta fit --input customers.parquet --k 8 --model model.json --assignments segments.csv");
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** The generated customers (values, ids, true segments) and the fit's workspace must fit in the heap. */
    private void checkMemory() {
        DatasetLoader.Workspace workspace = KMeans.workspace(k);
        long perCustomer = (long) Float.BYTES * features + Long.BYTES + Integer.BYTES + workspace.bytesPerRow();
        long chunks = (customers + CustomerGenerator.CHUNK_ROWS - 1) / CustomerGenerator.CHUNK_ROWS;
        // In double, saturating at Long.MAX_VALUE: in long, --customers near 2^63 wraps around to a need that passes.
        long need = (long) Math.min(Long.MAX_VALUE,
                (double) customers * perCustomer + (double) chunks * workspace.perBlock(features));
        NotEnoughMemoryException.check(need, String.format(Locale.ROOT, "%,d customers x %d features", customers, features),
                "ask for fewer --customers");
    }
}
