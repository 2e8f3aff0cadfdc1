package dev.segmenta.spark;

import dev.segmenta.io.BadInputException;
import dev.segmenta.kernels.KMeansKernels;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The segments found by {@link SegmentaKMeans}: {@code k} centres in the features' space, and the
 * {@link Summary} of the fit. {@link #transform} adds each row's segment ({@code predictionCol}) and
 * its Euclidean distance to that segment's centre ({@code distanceCol}); the assignment runs the
 * kernel backend over blocks of rows in every partition.
 *
 * <p>Saved as a directory: {@code metadata/} (Spark's params JSON, so {@code Pipeline} and
 * {@code PipelineModel} save and load it like their own stages), {@code data/} (Parquet, one row per
 * segment: {@code segment int, center array<float>, weight double}) and {@code summary/} (Parquet,
 * one row).
 */
public final class SegmentaKMeansModel extends Model<SegmentaKMeansModel>
        implements SegmentaKMeansParams, DefaultParamsWritable {

    /**
     * How the fit went.
     *
     * @param trainingCost   weighted sum of squared distances of the rows to the returned centres
     * @param numIter        Lloyd iterations run
     * @param converged      whether they stopped by {@code tol} rather than {@code maxIter}
     * @param clusterWeights total weight (the row count, without weights) of each segment
     * @param backends       the kernel backends that ran on the executors
     * @param iterationNanos wall time of each iteration on the driver
     */
    public record Summary(double trainingCost, int numIter, boolean converged, double[] clusterWeights,
                          List<String> backends, long[] iterationNanos) {

        public Summary {
            backends = List.copyOf(backends);
        }
    }

    private final String uid;
    private final Declared declared;
    private final float[] centres;
    private final int d;
    private final Summary summary;

    /** An empty model, only for Spark Connect's {@code ServiceLoader}; {@link #load} a saved one instead. */
    public SegmentaKMeansModel() {
        this(Identifiable.randomUID("segmentaKMeansModel"));
    }

    /** An empty model that Spark's params reader fills in while {@link #load} reads a saved one. */
    public SegmentaKMeansModel(String uid) {
        this(uid, null, 0, null);
    }

    SegmentaKMeansModel(String uid, float[] centres, int d, Summary summary) {
        this.uid = uid;
        this.declared = new Declared(this);
        declared.setDefaults(this);
        this.centres = centres;
        this.d = d;
        this.summary = summary;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Declared declared() {
        return declared;
    }

    public SegmentaKMeansModel setFeaturesCol(String value) {
        set(featuresCol(), value);
        return this;
    }

    public SegmentaKMeansModel setInputCols(String[] value) {
        set(inputCols(), value);
        return this;
    }

    public SegmentaKMeansModel setPredictionCol(String value) {
        set(predictionCol(), value);
        return this;
    }

    public SegmentaKMeansModel setDistanceCol(String value) {
        set(distanceCol(), value);
        return this;
    }

    public SegmentaKMeansModel setBackend(String value) {
        set(backend(), value);
        return this;
    }

    /** Number of segments. */
    public int numClusters() {
        return centres().length / Math.max(1, d);
    }

    /** Number of features. */
    public int numFeatures() {
        centres();
        return d;
    }

    /** The centres, one vector per segment. */
    public Vector[] clusterCenters() {
        float[] c = centres();
        Vector[] out = new Vector[numClusters()];
        for (int j = 0; j < out.length; j++) {
            double[] values = new double[d];
            for (int f = 0; f < d; f++) {
                values[f] = c[j * d + f];
            }
            out[j] = Vectors.dense(values);
        }
        return out;
    }

    public Summary summary() {
        centres();
        return summary;
    }

    /** The segment of one feature vector (ties go to the lower segment). */
    public int predict(Vector features) {
        float[] c = centres();
        if (features.size() != d) {
            throw new IllegalArgumentException("the vector has " + features.size() + " values but the model has "
                    + d + " features");
        }
        float[] x = new float[d];
        for (int f = 0; f < d; f++) {
            x[f] = (float) features.apply(f);
        }
        int[] label = new int[1];
        DistributedKMeans.kernels(getBackend()).assign(x, 1, d, c, numClusters(), label, new float[1]);
        return label[0];
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        float[] c = centres();
        StructType out = transformSchema(dataset.schema());
        FeatureLayout layout = FeatureLayout.of(dataset.schema(), this, false).withDimensions(d);
        Column[] features = layout.columns();
        List<Column> columns = new ArrayList<>(Arrays.asList(features));
        for (String name : dataset.schema().fieldNames()) {
            columns.add(dataset.col(name));
        }
        int skip = features.length;
        int carried = dataset.schema().length();
        int k = numClusters();
        int dims = d;
        boolean withDistance = !getDistanceCol().isEmpty();
        String backend = getBackend();
        MapPartitionsFunction<Row, Row> assign =
                rows -> new Assigned(rows, layout, c, k, dims, skip, carried, withDistance, backend);
        return dataset.select(columns.toArray(new Column[0])).mapPartitions(assign, Encoders.row(out));
    }

    /** The rows of one partition with their segment (and distance) appended, assigned a block at a time. */
    private static final class Assigned implements Iterator<Row> {

        private final Iterator<Row> rows;
        private final FeatureLayout.Reader reader;
        private final float[] centres;
        private final int k;
        private final int d;
        private final int skip;
        private final int carried;
        private final boolean withDistance;
        private final KMeansKernels kernels;
        private final Row[] buffered = new Row[FeatureBlock.ROWS];
        private final int[] labels = new int[FeatureBlock.ROWS];
        private final float[] distances = new float[FeatureBlock.ROWS];
        private int size;
        private int next;

        Assigned(Iterator<Row> rows, FeatureLayout layout, float[] centres, int k, int d, int skip, int carried,
                 boolean withDistance, String backend) {
            this.rows = rows;
            this.reader = layout.new Reader(TaskContext.getPartitionId(), FeatureBlock.ROWS);
            this.centres = centres;
            this.k = k;
            this.d = d;
            this.skip = skip;
            this.carried = carried;
            this.withDistance = withDistance;
            this.kernels = DistributedKMeans.kernels(backend);
        }

        @Override
        public boolean hasNext() {
            return next < size || rows.hasNext();
        }

        @Override
        public Row next() {
            if (next == size) {
                fill();
            }
            Row row = buffered[next];
            Object[] values = new Object[carried + (withDistance ? 2 : 1)];
            for (int i = 0; i < carried; i++) {
                values[i] = row.get(skip + i);
            }
            values[carried] = labels[next];
            if (withDistance) {
                values[carried + 1] = Math.sqrt(distances[next]);
            }
            buffered[next++] = null;
            return RowFactory.create(values);
        }

        private void fill() {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            reader.clear();
            size = 0;
            next = 0;
            while (rows.hasNext() && size < buffered.length) {
                Row row = rows.next();
                reader.add(row);
                buffered[size++] = row;
            }
            FeatureBlock block = reader.block();
            kernels.assign(block.x, block.n, d, centres, k, labels, distances);
        }
    }

    /** The input schema plus the segment (int, with the segment count as metadata) and, unless disabled, the distance. */
    static StructType outputSchema(StructType schema, SegmentaKMeansParams params, int k) {
        List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
        String prediction = params.getPredictionCol();
        String distance = params.getDistanceCol();
        for (String name : distance.isEmpty() ? List.of(prediction) : List.of(prediction, distance)) {
            if (Arrays.asList(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("output column '" + name + "' already exists; set "
                        + (name.equals(prediction) ? "predictionCol" : "distanceCol") + " to another name");
            }
        }
        fields.add(new StructField(prediction, DataTypes.IntegerType, false,
                NominalAttribute.defaultAttr().withName(prediction).withNumValues(k).toMetadata()));
        if (!distance.isEmpty()) {
            fields.add(new StructField(distance, DataTypes.DoubleType, false, Metadata.empty()));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        FeatureLayout layout = FeatureLayout.of(schema, this, false);
        if (layout.dimensionsKnown() && layout.dimensions() != numFeatures()) {
            throw new IllegalArgumentException("inputCols has " + layout.dimensions() + " columns but the model has "
                    + d + " features");
        }
        return outputSchema(schema, this, numClusters());
    }

    @Override
    public SegmentaKMeansModel copy(ParamMap extra) {
        return copyValues(new SegmentaKMeansModel(uid, centres, d, summary), extra).setParent(parent());
    }

    private float[] centres() {
        if (centres == null) {
            throw new IllegalStateException("this SegmentaKMeansModel has no centres; fit one with SegmentaKMeans "
                    + "or load one with SegmentaKMeansModel.load(path)");
        }
        return centres;
    }

    @Override
    public MLWriter write() {
        centres();
        return new Writer(this);
    }

    /** Spark's params writer for this model: the {@code metadata/} part of a save. */
    private MLWriter paramsWriter() {
        return DefaultParamsWritable.super.write();
    }

    public static MLReader<SegmentaKMeansModel> read() {
        return new Reader();
    }

    public static SegmentaKMeansModel load(String path) {
        return read().load(path);
    }

    private static final StructType DATA = new StructType()
            .add("segment", DataTypes.IntegerType, false)
            .add("center", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("weight", DataTypes.DoubleType, false);

    private static final StructType SUMMARY = new StructType()
            .add("trainingCost", DataTypes.DoubleType, false)
            .add("numIter", DataTypes.IntegerType, false)
            .add("converged", DataTypes.BooleanType, false)
            .add("backends", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("iterationNanos", DataTypes.createArrayType(DataTypes.LongType, false), false);

    private static final class Writer extends MLWriter {

        private final SegmentaKMeansModel model;

        Writer(SegmentaKMeansModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            try {
                model.paramsWriter().session(spark).save(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int d = model.d;
            List<Row> segments = new ArrayList<>();
            for (int j = 0; j < model.numClusters(); j++) {
                List<Float> center = new ArrayList<>(d);
                for (int f = 0; f < d; f++) {
                    center.add(model.centres[j * d + f]);
                }
                segments.add(RowFactory.create(j, center, model.summary.clusterWeights()[j]));
            }
            spark.createDataFrame(segments, DATA).coalesce(1).write().parquet(path + "/data");
            Summary s = model.summary;
            List<Long> nanos = Arrays.stream(s.iterationNanos()).boxed().toList();
            spark.createDataFrame(List.of(RowFactory.create(s.trainingCost(), s.numIter(), s.converged(), s.backends(),
                    nanos)), SUMMARY).coalesce(1).write().parquet(path + "/summary");
        }
    }

    private static final class Reader extends MLReader<SegmentaKMeansModel> {

        @Override
        public SegmentaKMeansModel load(String path) {
            SparkSession spark = sparkSession();
            SegmentaKMeansModel params;
            List<Row> segments;
            Row s;
            try {
                params = new DefaultParamsReadable<SegmentaKMeansModel>() { }.read().session(spark).load(path);
                segments = new ArrayList<>(spark.read().schema(DATA).parquet(path + "/data").collectAsList());
                s = spark.read().schema(SUMMARY).parquet(path + "/summary").first();
            } catch (RuntimeException | LinkageError e) {
                throw new BadInputException(path + ": not a saved SegmentaKMeansModel (" + e.getMessage()
                        + "); save one with model.write().save(path)", e);
            }
            segments.sort(Comparator.comparingInt(r -> r.getInt(0)));
            int k = segments.size();
            int d = k == 0 ? 0 : segments.getFirst().getList(1).size();
            float[] centres = new float[k * d];
            double[] weights = new double[k];
            for (int j = 0; j < k; j++) {
                Row r = segments.get(j);
                List<Float> center = r.getList(1);
                if (r.getInt(0) != j || center.size() != d) {
                    throw new BadInputException(path + "/data: segment " + j + " is missing or has " + center.size()
                            + " values instead of " + d + "; save the model again");
                }
                for (int f = 0; f < d; f++) {
                    centres[j * d + f] = center.get(f);
                }
                weights[j] = r.getDouble(2);
            }
            long[] nanos = s.<Long>getList(4).stream().mapToLong(Long::longValue).toArray();
            Summary summary = new Summary(s.getDouble(0), s.getInt(1), s.getBoolean(2), weights, s.getList(3), nanos);
            return params.copyValues(new SegmentaKMeansModel(params.uid(), centres, d, summary), ParamMap.empty());
        }
    }
}
