package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.DatasetLoader;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.generate.CustomerGenerator;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.io.TableWriter;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutOfCoreKMeansTest {

    private static final KMeansKernels KERNELS = Kernels.select("auto").kernels();

    /** Writes {@code rows} generated customers (id + {@code d} float features) to {@code file}. */
    static Path writeCustomers(Path file, long rows, int d, int segments, long seed) throws IOException {
        CustomerGenerator generator = new CustomerGenerator(rows, d, segments, seed);
        List<Column> schema = new ArrayList<>();
        schema.add(new Column("customer_id", ColumnType.INT64));
        for (String name : generator.featureNames()) {
            schema.add(new Column(name, ColumnType.FLOAT32));
        }
        try (TableWriter out = TableWriter.open(file, schema)) {
            for (int c = 0; c < generator.chunkCount(); c++) {
                FeatureBatch block = generator.chunk(c).features();
                int n = block.rows();
                Object[] columns = new Object[d + 1];
                columns[0] = block.ids();
                for (int f = 0; f < d; f++) {
                    columns[f + 1] = Arrays.copyOfRange(block.values(), f * n, f * n + n);
                }
                out.write(n, columns);
            }
            out.commit();
        }
        return file;
    }

    private static Dataset scaledInMemory(Path file, ReadOptions options, Scaling[] scaling, FeatureStats[] stats,
                                          BlockExecutor executor) {
        Dataset data = DatasetLoader.load(file, options, null, rows -> { });
        stats[0] = FeatureStats.of(data, executor);
        scaling[0] = Scaling.fit(Scaling.ZSCORE, stats[0]);
        executor.forEachBlock(data.blockCount(), b -> scaling[0].apply(data.block(b)));
        return data;
    }

    @Test
    void streamedLloydEqualsInMemoryLloydFromTheSameStart(@TempDir Path dir) throws IOException {
        Path file = writeCustomers(dir.resolve("customers.parquet"), 60_000, 6, 5, 31);
        ReadOptions options = ReadOptions.defaults().withBlockRows(4096);
        KMeansParams params = new KMeansParams(7, 100, 1e-6, 1, 5);
        try (BlockExecutor executor = new BlockExecutor(3)) {
            Scaling[] scaling = new Scaling[1];
            FeatureStats[] stats = new FeatureStats[1];
            Dataset data = scaledInMemory(file, options, scaling, stats, executor);
            double variance = scaling[0].scaledMeanVariance(stats[0]);
            KMeansWorkspace ws = new KMeansWorkspace(data, KERNELS, executor, params.k());
            float[] initial = new KMeansPlusPlus().initialCentroids(ws, params.k(), new SplittableRandom(1));
            KMeansResult inMemory = new LloydKMeans(ws, initial, params.k())
                    .run(params.maxIterations(), params.tolerance() * variance, 0, 0, KMeansListener.NONE);

            FeatureStats streamedStats;
            try (FeatureSource source = FeatureSource.open(file, options)) {
                streamedStats = FeatureStats.of(source);
            }
            assertArrayEquals(stats[0].mean(), streamedStats.mean());
            assertArrayEquals(stats[0].variance(), streamedStats.variance());

            for (int threads : new int[] {1, 3}) {
                try (BlockExecutor streamExecutor = new BlockExecutor(threads)) {
                    OutOfCoreKMeans.Fit streamed = new OutOfCoreKMeans(file, options, KERNELS, streamExecutor)
                            .lloyd(data.featureNames(), streamedStats, Scaling.fit(Scaling.ZSCORE, streamedStats),
                                    initial, params, variance, 0, KMeansListener.NONE);
                    assertArrayEquals(inMemory.centroids(), streamed.result().centroids(), threads + " threads");
                    assertEquals(inMemory.inertia(), streamed.result().inertia(), threads + " threads");
                    assertEquals(inMemory.iterations(), streamed.result().iterations(), threads + " threads");
                    assertEquals(data.rows(), Arrays.stream(streamed.sizes()).sum());
                }
            }
        }
    }

    @Test
    void assignmentsMatchTheInMemoryLabels(@TempDir Path dir) throws IOException {
        Path file = writeCustomers(dir.resolve("customers.arrow"), 20_000, 4, 3, 8);
        ReadOptions options = ReadOptions.defaults().withBlockRows(3000);
        KMeansParams params = new KMeansParams(3, 100, 1e-4, 2, 77);
        try (BlockExecutor executor = new BlockExecutor(2)) {
            OutOfCoreKMeans outOfCore = new OutOfCoreKMeans(file, options, KERNELS, executor);
            OutOfCoreKMeans.Fit fit = outOfCore.fit(params, Initialization.KMEANS_PLUS_PLUS, Scaling.ZSCORE,
                    KMeansListener.NONE);
            Scaling[] scaling = new Scaling[1];
            Dataset data = scaledInMemory(file, options, scaling, new FeatureStats[1], executor);
            KMeansWorkspace ws = new KMeansWorkspace(data, KERNELS, executor, params.k());
            double inertia = ws.assign(fit.result().centroids(), params.k());
            assertEquals(inertia, fit.result().inertia());
            int[] block = {0};
            outOfCore.forEachAssignment(fit.scaling(), fit.result().centroids(), params.k(), (batch, labels, dist) -> {
                assertEquals(data.block(block[0]).firstRow(), batch.firstRow());
                assertArrayEquals(ws.labels()[block[0]], labels, "block " + block[0]);
                assertArrayEquals(ws.minDist()[block[0]], dist, "block " + block[0]);
                block[0]++;
            });
            assertEquals(data.blockCount(), block[0]);
        }
    }

    @Test
    void fitIsWithinOnePercentOfTheInMemoryFit(@TempDir Path dir) throws IOException {
        Path file = writeCustomers(dir.resolve("customers.parquet"), 250_000, 8, 6, 3);
        ReadOptions options = ReadOptions.defaults();
        KMeansParams params = new KMeansParams(6, 300, 1e-4, 3, 12);
        try (BlockExecutor executor = new BlockExecutor(2)) {
            OutOfCoreKMeans.Fit streamed = new OutOfCoreKMeans(file, options, KERNELS, executor)
                    .fit(params, Initialization.KMEANS_PLUS_PLUS, Scaling.ZSCORE, KMeansListener.NONE);
            double inMemory = inMemoryInertia(file, options, params, executor);
            assertEquals(inMemory, streamed.result().inertia(), 0.01 * inMemory);
        }
    }

    static double inMemoryInertia(Path file, ReadOptions options, KMeansParams params, BlockExecutor executor) {
        Scaling[] scaling = new Scaling[1];
        FeatureStats[] stats = new FeatureStats[1];
        Dataset data = scaledInMemory(file, options, scaling, stats, executor);
        return KMeans.fit(data, params, KERNELS, executor, KMeansListener.NONE,
                scaling[0].scaledMeanVariance(stats[0])).result().inertia();
    }

    /**
     * A child JVM with a 32 MiB heap fits a file of 3.3M customers x 8 features (about 136 MB of Arrow
     * data, 106 MB of it float features) and lands within 1% of the in-memory fit's inertia.
     */
    @Test
    void fileFourTimesTheHeapFitsOutOfCore(@TempDir Path dir) throws Exception {
        Path file = writeCustomers(dir.resolve("big.arrow"), 3_300_000, 8, 6, 21);
        long heap = 32L << 20;
        assertTrue(Files.size(file) >= 4 * heap, "file is only " + Files.size(file) + " bytes");
        KMeansParams params = new KMeansParams(6, 300, 1e-4, 3, 12);

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "--add-modules=jdk.incubator.vector", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"),
                OutOfCoreMain.class.getName(), file.toString(), Integer.toString(params.k()),
                Long.toString(params.seed())));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), output);
        String line = output.lines().filter(l -> l.startsWith("inertia ")).findFirst().orElseThrow(
                () -> new AssertionError("no inertia in: " + output));
        double streamed = Double.parseDouble(line.substring("inertia ".length()));

        try (BlockExecutor executor = new BlockExecutor(2)) {
            double inMemory = inMemoryInertia(file, ReadOptions.defaults(), params, executor);
            assertEquals(inMemory, streamed, 0.01 * inMemory, output);
        }
    }
}
