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
        try (FeatureSource source = FeatureSource.open(file, withWeightColumn(file, options, weightColumn))) {
            return load(source, weightColumn, rowsRead);
        }
    }

    /**
     * The read options that bring {@code weightColumn} along as the last feature (left out of the
     * default feature selection); {@code options} itself when there is no weight column.
     */
    public static ReadOptions withWeightColumn(Path file, ReadOptions options, String weightColumn) {
        if (weightColumn == null) {
            return options;
        }
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
        return options.withFeatures(withWeight).withExcluded(excluded);
    }

    /**
     * Reads {@code source} to its end into memory; with a {@code weightColumn}, the source's last
     * feature is that column (see {@link #withWeightColumn}) and becomes the weights.
     */
    public static Dataset load(FeatureSource source, String weightColumn, LongConsumer rowsRead) {
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<String> names = source.featureNames();
        long rows = 0;
        for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
            if (weightColumn != null) {
                weights.add(checkedWeights(source.file(), weightColumn, batch));
                batch = withoutLastColumn(batch);
            }
            blocks.add(batch);
            rows += batch.rows();
            rowsRead.accept(rows);
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
            checkWeight(file, column, batch.firstRow() + i, w[i]);
        }
        return w;
    }

    /** Fails for a negative weight, naming the file's row ({@code ordinal} is 0-based). */
    public static void checkWeight(Path file, String column, long ordinal, float weight) {
        if (weight < 0) {
            throw new BadInputException(file + ": row " + (ordinal + 1) + ", column '" + column
                    + "': negative weight " + weight + "; weights must be >= 0");
        }
    }

    /** Column-major storage makes the last column a tail of the array; kernels read only the first {@code d}. */
    private static FeatureBatch withoutLastColumn(FeatureBatch batch) {
        return new FeatureBatch(batch.values(), batch.rows(), batch.features() - 1, batch.firstRow(), batch.ids());
    }
}
