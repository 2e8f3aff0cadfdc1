package dev.segmenta.engine.bench;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.data.FeatureStats;
import dev.segmenta.engine.generate.CustomerGenerator;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.FeatureBatch;

import java.util.List;

/**
 * The fixed-seed inputs of {@code segmenta bench} and the JMH suites: {@link CustomerGenerator}
 * customers in the engine's 16,384-row blocks, z-scored as {@code segmenta fit} does by default, and
 * starting centroids taken from the data.
 *
 * @param data         the scaled customers
 * @param meanVariance their mean per-feature variance (the fit's tolerance is relative to it)
 */
public record BenchInputs(Dataset data, double meanVariance) {

    /** Generates the blocks in parallel (each depends only on the seed and its index), then scales them in place. */
    public static BenchInputs customers(long n, int d, int segments, long seed, BlockExecutor executor) {
        CustomerGenerator generator = new CustomerGenerator(n, d, segments, seed);
        FeatureBatch[] blocks = new FeatureBatch[generator.chunkCount()];
        executor.forEachBlock(blocks.length, b -> blocks[b] = generator.chunk(b).features());
        Dataset data = new Dataset(List.of(blocks), generator.featureNames(), null);
        FeatureStats stats = FeatureStats.of(data, executor);
        Scaling scaling = Scaling.fit(Scaling.ZSCORE, stats);
        executor.forEachBlock(data.blockCount(), b -> scaling.apply(data.block(b)));
        return new BenchInputs(data, scaling.scaledMeanVariance(stats));
    }

    /** {@code k} centroids, row-major: customers spread evenly over the data, as a seeding would pick. */
    public float[] centroidsFromData(int k) {
        int d = data.dimensions();
        long rows = data.rows();
        int blockRows = data.block(0).rows();
        float[] c = new float[k * d];
        for (int j = 0; j < k; j++) {
            long row = j * rows / k;
            FeatureBatch block = data.block((int) (row / blockRows));
            int i = (int) (row % blockRows);
            for (int f = 0; f < d; f++) {
                c[j * d + f] = block.value(i, f);
            }
        }
        return c;
    }
}
