package dev.segmenta.engine.data;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Reads a whole customers file into a {@link Dataset} for in-memory fitting.
 *
 * <p>Peak memory: the dataset ({@code 4 * d} bytes per customer, plus ids and 4 bytes per weight) plus
 * one block in flight in the reader.
 */
public final class DatasetLoader {

    private DatasetLoader() {
    }

    /**
     * @param weightColumn a numeric column of non-negative sample weights, or {@code null}
     * @param rowsRead     told the running row count after each block, for progress reports
     */
    public static Dataset load(Path file, ReadOptions options, String weightColumn, LongConsumer rowsRead) {
        ReadOptions featureOptions = options;
        if (weightColumn != null) {
            Set<String> excluded = new HashSet<>(options.excluded());
            excluded.add(weightColumn);
            List<String> features = options.features() != null ? options.features() : featureNames(file,
                    options.withExcluded(excluded));
            if (features.contains(weightColumn)) {
                throw new BadInputException(file + ": column '" + weightColumn
                        + "' cannot be both a feature and the weight column; remove it from --features");
            }
            List<String> withWeight = new ArrayList<>(features);
            withWeight.add(weightColumn);
            featureOptions = options.withFeatures(withWeight).withExcluded(excluded);
        }
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<String> names;
        long rows = 0;
        try (FeatureSource source = FeatureSource.open(file, featureOptions)) {
            names = source.featureNames();
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                if (weightColumn != null) {
                    weights.add(checkedWeights(file, weightColumn, batch));
                    batch = withoutLastColumn(batch);
                }
                blocks.add(batch);
                rows += batch.rows();
                rowsRead.accept(rows);
            }
        }
        if (weightColumn != null) {
            names = names.subList(0, names.size() - 1);
        }
        return new Dataset(blocks, names, weightColumn == null ? null : weights.toArray(new float[0][]));
    }

    private static List<String> featureNames(Path file, ReadOptions options) {
        try (FeatureSource source = FeatureSource.open(file, options)) {
            return source.featureNames();
        }
    }

    private static float[] checkedWeights(Path file, String column, FeatureBatch batch) {
        int n = batch.rows();
        int last = batch.features() - 1;
        float[] w = Arrays.copyOfRange(batch.values(), last * n, last * n + n);
        for (int i = 0; i < n; i++) {
            if (w[i] < 0) {
                throw new BadInputException(file + ": row " + (batch.firstRow() + i + 1) + ", column '" + column
                        + "': negative weight " + w[i] + "; weights must be >= 0");
            }
        }
        return w;
    }

    /** Column-major storage makes the last column a tail of the array; kernels read only the first {@code d}. */
    private static FeatureBatch withoutLastColumn(FeatureBatch batch) {
        return new FeatureBatch(batch.values(), batch.rows(), batch.features() - 1, batch.firstRow(), batch.ids());
    }
}
