package dev.segmenta.engine.data;

import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.ReadOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Reads a whole customers file into a {@link Dataset} for in-memory fitting.
 *
 * <p>Peak memory: the dataset ({@code 4 * d} bytes per customer, plus ids and 4 bytes per weight) plus
 * one block in flight in the reader. Before reading past the first block, the need of the whole file
 * (and of the caller's {@link Workspace}) is estimated from the file's row count and compared with
 * what the heap has left, so a file too large for memory fails in seconds rather than after minutes
 * of reading.
 */
public final class DatasetLoader {

    /** Object headers, arrays and the list entry of one block, beyond its values and ids. */
    private static final long BLOCK_OVERHEAD = 256;

    private DatasetLoader() {
    }

    /**
     * What the caller will allocate once the data is loaded, for the up-front memory check: per
     * customer (labels, distances, an id table) and per block (partial sums), the latter partly per feature.
     *
     * @param segments the k the per-block terms grow with, 0 when they grow with none
     */
    public record Workspace(long bytesPerRow, long bytesPerBlock, long bytesPerBlockAndFeature, long segments) {
        public static final Workspace NONE = new Workspace(0, 0, 0);

        /** A workspace whose size does not depend on a number of segments. */
        public Workspace(long bytesPerRow, long bytesPerBlock, long bytesPerBlockAndFeature) {
            this(bytesPerRow, bytesPerBlock, bytesPerBlockAndFeature, 0);
        }

        public long perBlock(int features) {
            return bytesPerBlock + bytesPerBlockAndFeature * features;
        }

        /** This workspace and {@code other} held at once. */
        public Workspace plus(Workspace other) {
            return new Workspace(bytesPerRow + other.bytesPerRow, bytesPerBlock + other.bytesPerBlock,
                    bytesPerBlockAndFeature + other.bytesPerBlockAndFeature, Math.max(segments, other.segments));
        }
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

    /** Reads {@code source} with no workspace to account for; see {@link #load(FeatureSource, String, LongConsumer, Workspace)}. */
    public static Dataset load(FeatureSource source, String weightColumn, LongConsumer rowsRead) {
        return load(source, weightColumn, rowsRead, Workspace.NONE);
    }

    /**
     * Reads {@code source} to its end into memory; with a {@code weightColumn}, the source's last
     * feature is that column (see {@link #withWeightColumn}) and becomes the weights.
     *
     * @param workspace the caller's memory per customer and per block, checked with the data's
     * @throws NotEnoughMemoryException when the file will not fit (before reading most of it), or ran out
     */
    public static Dataset load(FeatureSource source, String weightColumn, LongConsumer rowsRead, Workspace workspace) {
        List<FeatureBatch> blocks = new ArrayList<>();
        List<float[]> weights = new ArrayList<>();
        List<String> names = source.featureNames();
        long rows = 0;
        try {
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                if (blocks.isEmpty()) {
                    checkMemory(source, batch, weightColumn != null, workspace);
                }
                if (weightColumn != null) {
                    weights.add(checkedWeights(source.file(), weightColumn, batch));
                    batch = withoutLastColumn(batch);
                }
                blocks.add(batch);
                rows += batch.rows();
                rowsRead.accept(rows);
            }
        } catch (OutOfMemoryError e) {
            long read = rows;
            blocks.clear();
            weights.clear();
            throw new NotEnoughMemoryException(source.file() + ": ran out of memory after reading " + read
                    + " customers (this JVM may use " + NotEnoughMemoryException.size(NotEnoughMemoryException.maxHeap())
                    + "); give it more memory with SEGMENTA_JAVA_OPTS=-Xmx<size>, or use a streaming mode such as "
                    + "'fit --out-of-core'");
        }
        if (weightColumn != null) {
            names = names.subList(0, names.size() - 1);
        }
        return new Dataset(blocks, names, weightColumn == null ? null : weights.toArray(new float[0][]));
    }

    /**
     * Fails before the file is read when, by its row count, it will not fit: the first block's size
     * per customer (values and ids as read) times the rows, plus the workspace, against the heap left.
     */
    private static void checkMemory(FeatureSource source, FeatureBatch first, boolean weights, Workspace workspace) {
        long rows = source.rowCount().orElse(-1);
        if (rows <= 0) {
            return;
        }
        long perRow = (long) Math.ceil(bytes(first) / (double) first.rows()) + (weights ? Float.BYTES : 0)
                + workspace.bytesPerRow();
        int blockRows = Math.max(first.rows(), 1);
        long blocks = (rows + blockRows - 1) / blockRows;
        int d = first.features() - (weights ? 1 : 0);
        // More segments than customers is refused by the fit itself, exactly, once the rows are read (a
        // CSV file's row count here is an estimate); counted here, such a k would only turn that error into
        // advice to give the JVM terabytes.
        long perBlock = workspace.segments() > rows ? 0 : workspace.perBlock(d);
        long need = rows * perRow + blocks * (perBlock + BLOCK_OVERHEAD);
        NotEnoughMemoryException.check(need, String.format(Locale.ROOT, "%s: %,d customers x %d features", source.file(),
                rows, d), "use a streaming mode such as 'fit --out-of-core'");
    }

    /** The heap a loaded block holds: its values and its ids. */
    private static long bytes(FeatureBatch block) {
        long ids = switch (block.ids()) {
            case IdColumn.Longs l -> (long) Long.BYTES * l.values().length;
            case IdColumn.Utf8 u -> u.bytes().length + (long) Integer.BYTES * u.offsets().length;
        };
        return (long) Float.BYTES * block.values().length + ids;
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
