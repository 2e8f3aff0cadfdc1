package dev.segmenta.spark;

import dev.segmenta.engine.Reference;
import dev.segmenta.engine.cluster.KMeansListener;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Segmenta's k-means as a Spark ML {@code Estimator}: a drop-in for MLlib's {@code KMeans} (the same
 * parameters, defaults and stop rule) whose passes run Segmenta's kernel backend (Vector API SIMD by
 * default) over column-major float32 blocks cached once per partition.
 *
 * <pre>{@code
 * SegmentaKMeansModel model = new SegmentaKMeans()
 *         .setK(8).setSeed(1).setInputCols(new String[] {"recency_days", "orders_per_year", "annual_spend"})
 *         .fit(customers);
 * Dataset<Row> segments = model.transform(customers);   // adds "prediction" and "distance"
 * }</pre>
 *
 * <p>Seeding: k-means|| (Bahmani et al. 2012, {@code initSteps} rounds of {@code 2k} expected
 * candidates, then greedy k-means++ on the weighted candidates, the engine's {@code KMeansParallel}),
 * {@code k} random rows, or {@code initialCenters}. Iterations: Lloyd (1982), one kernel pass per
 * iteration, until no centre moves farther than {@code tol} or {@code maxIter}; a last pass scores
 * the returned centres. Differences from MLlib: centres and distances are float32 (sums in double);
 * an empty segment takes the customer farthest from its centre instead of keeping its old centre;
 * k-means|| ends with greedy k-means++ on the candidates but no local Lloyd refinement of them; the
 * reported cost is that of the returned centres.
 *
 * <p>Data: a vector, {@code array<float>} or {@code array<double>} {@code featuresCol}, or numeric
 * {@code inputCols}; optional non-negative {@code weightCol}. Nulls, NaN and infinities are rejected
 * with the column and row, as is {@code k} above the number of rows with positive weight. Memory:
 * the blocks take {@code 4·d} bytes per row (plus 4 for a weight) in the executors' storage memory
 * for the fit, then are dropped; k-means|| adds 8 bytes per row while it seeds.
 *
 * <p>Usable from Java and Scala as is, from PySpark by class name ({@code docs/spark.md}), inside
 * a {@code Pipeline}, and from Spark Connect ML (listed in {@code META-INF/services}).
 */
@Reference(authors = "S. P. Lloyd",
        title = "Least squares quantization in PCM",
        booktitle = "IEEE Transactions on Information Theory 28(2)",
        year = 1982,
        url = "https://doi.org/10.1109/TIT.1982.1056489")
public final class SegmentaKMeans extends Estimator<SegmentaKMeansModel>
        implements SegmentaKMeansParams, DefaultParamsWritable {

    private final String uid;
    private final Declared declared;

    public SegmentaKMeans() {
        this(Identifiable.randomUID("segmentaKMeans"));
    }

    public SegmentaKMeans(String uid) {
        this.uid = uid;
        this.declared = new Declared(this);
        declared.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declared declared() {
        return declared;
    }

    public SegmentaKMeans setK(int value) {
        set(k(), value);
        return this;
    }

    public SegmentaKMeans setMaxIter(int value) {
        set(maxIter(), value);
        return this;
    }

    public SegmentaKMeans setTol(double value) {
        set(tol(), value);
        return this;
    }

    public SegmentaKMeans setSeed(long value) {
        set(seed(), value);
        return this;
    }

    public SegmentaKMeans setInitMode(String value) {
        set(initMode(), value);
        return this;
    }

    public SegmentaKMeans setInitSteps(int value) {
        set(initSteps(), value);
        return this;
    }

    public SegmentaKMeans setWeightCol(String value) {
        set(weightCol(), value);
        return this;
    }

    public SegmentaKMeans setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public SegmentaKMeans setInputCols(String[] value) {
        set(inputCols(), value);
        return this;
    }

    public SegmentaKMeans setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    public SegmentaKMeans setDistanceCol(String value) {
        set(distanceCol(), value);
        return this;
    }

    public SegmentaKMeans setBackend(String value) {
        set(backend(), value);
        return this;
    }

    public SegmentaKMeans setInitialCenters(double[][] value) {
        set(initialCenters(), value);
        return this;
    }

    @Override
    public SegmentaKMeansModel fit(Dataset<?> dataset) {
        return fit(dataset, KMeansListener.NONE);
    }

    /** Like {@link #fit(Dataset)}, reporting every iteration to {@code listener} (on the driver). */
    public SegmentaKMeansModel fit(Dataset<?> dataset, KMeansListener listener) {
        transformSchema(dataset.schema());
        FeatureLayout layout = FeatureLayout.of(dataset.schema(), this, true);
        Dataset<Row> selected = dataset.select(layout.columns());
        JavaRDD<FeatureBlock> blocks = null;
        try {
            if (!layout.dimensionsKnown()) {
                List<Row> first = selected.takeAsList(1);
                if (first.isEmpty()) {
                    throw DistributedKMeans.noRows();
                }
                layout = layout.withDimensions(layout.dimensionsOf(first.getFirst()));
            }
            FeatureLayout fixed = layout;
            blocks = selected.javaRDD()
                    .mapPartitions(rows -> fixed.blocks(rows, TaskContext.getPartitionId()), true)
                    .setName(uid + ": Segmenta feature blocks")
                    .persist(StorageLevel.MEMORY_AND_DISK());
            DistributedKMeans kmeans = new DistributedKMeans(blocks, layout.featureNames(), getBackend());
            DistributedKMeans.Counts counts = kmeans.count();
            DistributedKMeans.checkSize(counts, getK());
            long start = System.nanoTime();
            float[] initial = initialCentres(kmeans, counts, layout.dimensions());
            listener.initialised(0, System.nanoTime() - start);
            DistributedKMeans.Result result = kmeans.lloyd(initial, getK(), getMaxIter(), getTol(), listener);
            SegmentaKMeansModel model = new SegmentaKMeansModel(uid, result.result().centroids(), layout.dimensions(),
                    new SegmentaKMeansModel.Summary(result.result().inertia(), result.result().iterations(),
                            result.result().converged(), result.weights(), List.copyOf(result.backends()),
                            result.result().iterationNanos()));
            return copyValues(model, ParamMap.empty()).setParent(this);
        } catch (Exception e) {
            throw SparkFailures.rethrow(e);
        } finally {
            if (blocks != null) {
                blocks.unpersist(false);
            }
        }
    }

    private float[] initialCentres(DistributedKMeans kmeans, DistributedKMeans.Counts counts, int d) {
        int k = getK();
        double[][] given = getInitialCenters();
        if (given != null) {
            return checkedCentres(given, k, d);
        }
        SplittableRandom random = new SplittableRandom(getSeed());
        return RANDOM.equals(getInitMode()) ? kmeans.randomRows(counts, k, random)
                : kmeans.kMeansParallel(counts, k, getInitSteps(), random);
    }

    private static float[] checkedCentres(double[][] given, int k, int d) {
        if (given.length != k) {
            throw new IllegalArgumentException("initialCenters has " + given.length + " centres but k=" + k
                    + "; give one centre per segment");
        }
        float[] centres = new float[k * d];
        for (int j = 0; j < k; j++) {
            if (given[j].length != d) {
                throw new IllegalArgumentException("initialCenters[" + j + "] has " + given[j].length
                        + " values but the data has " + d + " features");
            }
            for (int f = 0; f < d; f++) {
                centres[j * d + f] = (float) given[j][f];
                if (!Float.isFinite(centres[j * d + f])) {
                    throw new IllegalArgumentException("initialCenters[" + j + "][" + f + "] is " + given[j][f]
                            + "; centres must be finite");
                }
            }
        }
        return centres;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureLayout.of(schema, this, true);
        return SegmentaKMeansModel.outputSchema(schema, this, getK());
    }

    @Override
    public SegmentaKMeans copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<SegmentaKMeans> read() {
        return new DefaultParamsReadable<SegmentaKMeans>() { }.read();
    }

    public static SegmentaKMeans load(String path) {
        return read().load(path);
    }
}
