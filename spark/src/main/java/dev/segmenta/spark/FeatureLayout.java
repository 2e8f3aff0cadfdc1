package dev.segmenta.spark;

import dev.segmenta.io.BadInputException;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Where a DataFrame keeps the features (one vector or array column, or several numeric columns) and
 * the optional weight, and how rows of it become {@link FeatureBlock}s. Every value is checked on the
 * way: a null, NaN or infinite feature (or one beyond float range) and a negative or non-finite weight
 * stop the job with a message naming the column, the row and the fix.
 */
final class FeatureLayout implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Kind { VECTOR, ARRAY, COLUMNS }

    private final Kind kind;
    private final String[] columns;
    private final String weightColumn;
    private final int dimensions;

    private FeatureLayout(Kind kind, String[] columns, String weightColumn, int dimensions) {
        this.kind = kind;
        this.columns = columns;
        this.weightColumn = weightColumn;
        this.dimensions = dimensions;
    }

    /**
     * Checks that the feature columns (and the weight column, when {@code withWeight}) exist and have
     * usable types.
     *
     * @throws IllegalArgumentException naming the column, its type and what is accepted
     */
    static FeatureLayout of(StructType schema, SegmentaKMeansParams params, boolean withWeight) {
        String weight = withWeight ? params.getWeightCol() : null;
        if (weight != null && !(field(schema, weight).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + weight + "' has type "
                    + field(schema, weight).dataType().simpleString() + "; weightCol must be a numeric column");
        }
        String[] inputs = params.getInputCols();
        if (inputs != null) {
            for (String name : inputs) {
                DataType type = field(schema, name).dataType();
                if (!(type instanceof NumericType)) {
                    throw new IllegalArgumentException("column '" + name + "' has type " + type.simpleString()
                            + "; inputCols must be numeric columns");
                }
            }
            return new FeatureLayout(Kind.COLUMNS, inputs.clone(), weight, inputs.length);
        }
        String name = params.getFeaturesCol();
        DataType type = field(schema, name).dataType();
        if (type instanceof VectorUDT) {
            return new FeatureLayout(Kind.VECTOR, new String[] {name}, weight, -1);
        }
        if (type instanceof ArrayType array && (array.elementType().equals(DataTypes.FloatType)
                || array.elementType().equals(DataTypes.DoubleType))) {
            return new FeatureLayout(Kind.ARRAY, new String[] {name}, weight, -1);
        }
        throw new IllegalArgumentException("column '" + name + "' has type " + type.simpleString()
                + "; featuresCol must be a vector, array<float> or array<double> column, or set inputCols to "
                + "numeric columns");
    }

    private static StructField field(StructType schema, String name) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(name)) {
                return field;
            }
        }
        throw new IllegalArgumentException("no column named '" + name + "'; available columns: "
                + String.join(", ", schema.fieldNames()));
    }

    /** Whether the feature count is known from the schema alone (numeric columns), not from the first row. */
    boolean dimensionsKnown() {
        return dimensions >= 0;
    }

    int dimensions() {
        return dimensions;
    }

    /** The same layout with the feature count of a vector or array column, read from its first row. */
    FeatureLayout withDimensions(int d) {
        return new FeatureLayout(kind, columns, weightColumn, d);
    }

    /** The feature count of the first selected row ({@link #columns()} order). */
    int dimensionsOf(Row first) {
        checkNotNull(first, 0, 0, 0);
        return kind == Kind.VECTOR ? ((Vector) first.get(0)).size() : first.getList(0).size();
    }

    /** One name per feature, for messages and model metadata. */
    List<String> featureNames() {
        if (kind == Kind.COLUMNS) {
            return List.of(columns);
        }
        List<String> names = new ArrayList<>();
        for (int f = 0; f < dimensions; f++) {
            names.add(columns[0] + "[" + f + "]");
        }
        return names;
    }

    /** The columns to select, in the order {@link #blocks} reads them: the features, then the weight. */
    Column[] columns() {
        List<Column> selected = new ArrayList<>();
        for (String name : columns) {
            selected.add(functions.col(name));
        }
        if (weightColumn != null) {
            selected.add(functions.col(weightColumn));
        }
        return selected.toArray(new Column[0]);
    }

    /** Cuts a partition's selected rows into blocks of {@link FeatureBlock#ROWS}, checking every value. */
    Iterator<FeatureBlock> blocks(Iterator<Row> rows, int partition) {
        return new Iterator<>() {
            private final Reader reader = new Reader(partition, FeatureBlock.ROWS);

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public FeatureBlock next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                reader.clear();
                while (rows.hasNext() && reader.rows() < FeatureBlock.ROWS) {
                    reader.add(rows.next());
                }
                return reader.block();
            }
        };
    }

    /** Reads rows into one block's buffers; reused block after block. */
    final class Reader {

        private final int partition;
        private final int capacity;
        private final float[] x;
        private final float[] w;
        private int n;
        private long row;

        Reader(int partition, int capacity) {
            this.partition = partition;
            this.capacity = capacity;
            this.x = new float[capacity * dimensions];
            this.w = weightColumn == null ? null : new float[capacity];
        }

        int rows() {
            return n;
        }

        void clear() {
            n = 0;
        }

        /** Adds one row of {@link #columns()}; the row may also carry other columns after them. */
        void add(Row r) {
            switch (kind) {
                case VECTOR -> readVector(r);
                case ARRAY -> readArray(r);
                case COLUMNS -> readColumns(r);
            }
            if (w != null) {
                int at = columns.length;
                if (r.isNullAt(at)) {
                    throw bad(weightColumn, "is null", "remove the row or give it a weight");
                }
                double value = ((Number) r.get(at)).doubleValue();
                if (!(value >= 0) || Double.isInfinite(value)) {
                    throw bad(weightColumn, "has the weight " + value, "weights must be finite and >= 0");
                }
                w[n] = (float) value;
            }
            n++;
            row++;
        }

        /** The rows added since {@link #clear()}, as an exactly sized block. */
        FeatureBlock block() {
            int d = dimensions;
            float[] values = new float[n * d];
            for (int f = 0; f < d; f++) {
                System.arraycopy(x, f * capacity, values, f * n, n);
            }
            return new FeatureBlock(values, n, w == null ? null : Arrays.copyOf(w, n));
        }

        private void readVector(Row r) {
            checkNotNull(r, 0, row, partition);
            Vector v = (Vector) r.get(0);
            checkSize(v.size());
            double[] values = v instanceof DenseVector dense ? dense.values() : v.toArray();
            for (int f = 0; f < dimensions; f++) {
                put(f, values[f], columns[0] + "[" + f + "]");
            }
        }

        private void readArray(Row r) {
            checkNotNull(r, 0, row, partition);
            List<Object> values = r.getList(0);
            checkSize(values.size());
            for (int f = 0; f < dimensions; f++) {
                Object value = values.get(f);
                if (value == null) {
                    throw bad(columns[0] + "[" + f + "]", "is null", "remove the row or fill in the value");
                }
                put(f, ((Number) value).doubleValue(), columns[0] + "[" + f + "]");
            }
        }

        private void readColumns(Row r) {
            for (int f = 0; f < dimensions; f++) {
                checkNotNull(r, f, row, partition);
                put(f, ((Number) r.get(f)).doubleValue(), columns[f]);
            }
        }

        private void put(int f, double value, String name) {
            float v = (float) value;
            if (!Float.isFinite(v)) {
                String what = Double.isNaN(value) ? "is NaN" : Double.isInfinite(value) ? "is infinite"
                        : "is " + value + ", beyond float range";
                throw bad(name, what, "remove the row or fill in the value");
            }
            x[f * capacity + n] = v;
        }

        private void checkSize(int size) {
            if (size != dimensions) {
                throw bad(columns[0], "has " + size + " values but the first row has " + dimensions,
                        "give every row the same number of features");
            }
        }

        private BadInputException bad(String column, String what, String fix) {
            return FeatureLayout.bad(column, what, row, partition, fix);
        }
    }

    private void checkNotNull(Row r, int at, long row, int partition) {
        if (r.isNullAt(at)) {
            throw bad(kind == Kind.COLUMNS ? columns[at] : columns[0], "is null", row, partition,
                    "remove the row or fill in the value (e.g. na.drop() or Imputer)");
        }
    }

    private static BadInputException bad(String column, String what, long row, int partition, String fix) {
        return new BadInputException("column '" + column + "' " + what + " in row " + row + " of partition "
                + partition + "; " + fix);
    }
}
