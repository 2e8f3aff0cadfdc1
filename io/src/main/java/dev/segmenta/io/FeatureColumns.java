package dev.segmenta.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Which of a file's columns are read: the features in order and the id column, checked against
 * the file's schema once at open so every format reports the same errors.
 *
 * @param features  feature column names, in block order
 * @param idColumn  the id column's name, or {@code null} when ids are row ordinals
 * @param idType    INT64 or UTF8
 */
record FeatureColumns(List<String> features, String idColumn, ColumnType idType) {

    static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

    /** The feature selection of {@code options} as a {@link ColumnRequest}. */
    static ColumnRequest<FeatureColumns> request(ReadOptions options) {
        return new ColumnRequest<>() {
            @Override
            public FeatureColumns resolve(Path file, Schema schema) {
                return FeatureColumns.resolve(file, schema, options);
            }

            @Override
            public List<String> projection(FeatureColumns columns) {
                return columns.projection();
            }

            /**
             * The named features, or by default those (not the id, not excluded) mostly holding numbers,
             * a sign that their other cells are the bad ones.
             */
            @Override
            public Set<String> csvTextReadAsNumbers(List<String> textColumns,
                                                    Function<List<String>, Set<String>> mostlyNumeric) {
                List<String> candidates = textColumns.stream().filter(name -> !name.equals(options.idColumn())).toList();
                if (options.features() != null) {
                    Set<String> named = new HashSet<>(candidates);
                    named.retainAll(options.features());
                    return named;
                }
                return mostlyNumeric.apply(candidates.stream().filter(name -> !options.excluded().contains(name)).toList());
            }

            /** The id column, unless it is also named as a feature. */
            @Override
            public Set<String> csvText() {
                boolean feature = options.features() != null && options.features().contains(options.idColumn());
                return feature ? Set.of() : Set.of(options.idColumn());
            }

            /** Every feature as float64 whatever was inferred: see {@link CsvSource}. */
            @Override
            public Map<String, ArrowType> csvTypes(FeatureColumns columns) {
                Map<String, ArrowType> types = new HashMap<>();
                for (String name : columns.features()) {
                    types.put(name, FLOAT64);
                }
                return types;
            }
        };
    }

    static FeatureColumns resolve(Path file, Schema schema, ReadOptions options) {
        List<Field> fields = schema.getFields();
        checkUniqueNames(file, fields);
        Field idField = find(fields, options.idColumn());
        if (idField == null && options.idColumnRequired()) {
            throw new BadInputException(file + ": no column named '" + options.idColumn() + "' for the customer ids; "
                    + "available columns: " + names(fields));
        }
        ColumnType idType = idField == null ? ColumnType.INT64 : idType(file, idField);

        List<String> features = new ArrayList<>();
        if (options.features() != null) {
            for (String name : options.features()) {
                Field field = required(file, fields, name);
                if (!isNumeric(field.getType())) {
                    throw new BadInputException(file + ": column '" + name + "' has type " + field.getType()
                            + ", not a number; choose numeric feature columns");
                }
                features.add(name);
            }
        } else {
            List<String> leftOut = new ArrayList<>();
            for (Field field : fields) {
                if (field == idField || options.excluded().contains(field.getName())) {
                    continue;
                }
                String unused = notAFeature(field);
                if (unused == null) {
                    features.add(field.getName());
                } else {
                    leftOut.add("column '" + field.getName() + "' " + unused + "; not used as a feature");
                }
            }
            if (features.isEmpty()) {
                throw new BadInputException(file + ": no numeric feature columns (columns: " + names(fields)
                        + "); name the features to use explicitly");
            }
            leftOut.forEach(options.warnings());
        }
        List<Field> read = new ArrayList<>();
        for (String name : features) {
            read.add(find(fields, name));
        }
        if (idField != null) {
            read.add(idField);
        }
        checkPlain(file, read);
        return new FeatureColumns(List.copyOf(features), idField == null ? null : idField.getName(), idType);
    }

    /**
     * Why the default selection leaves {@code field} out, as its warning says it (after the column's
     * name), or {@code null} for a feature. A dictionary-encoded column arrives typed by its indices,
     * which are no values to cluster on.
     */
    private static String notAFeature(Field field) {
        ArrowType type = field.getType();
        if (field.getDictionary() != null) {
            return "is dictionary-encoded (categorical)";
        }
        if (isNumeric(type)) {
            return null;
        }
        String kind = switch (type) {
            case ArrowType.Utf8 _, ArrowType.LargeUtf8 _, ArrowType.Utf8View _ -> "is text";
            case ArrowType.Bool _ -> "is true/false";
            case ArrowType.Timestamp _, ArrowType.Date _, ArrowType.Time _ -> "is a date or time";
            case ArrowType.Duration _, ArrowType.Interval _ -> "is a duration";
            case ArrowType.Binary _, ArrowType.LargeBinary _, ArrowType.BinaryView _, ArrowType.FixedSizeBinary _ -> "is binary";
            default -> type.isComplex() ? "is nested" : "is not a number";
        };
        return kind + " (" + type + ")";
    }

    /** Every column named, each name once. */
    static void checkUniqueNames(Path file, List<Field> fields) {
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < fields.size(); c++) {
            Field field = fields.get(c);
            if (field.getName() == null) {
                // An Arrow schema may leave a name out; a column has to be named to be chosen.
                throw new BadInputException(file + ": column " + (c + 1) + " has no name; give every column a name");
            }
            if (!seen.add(field.getName())) {
                throw new BadInputException(file + ": column name '" + field.getName()
                        + "' appears more than once; rename the duplicates");
            }
        }
    }

    /** Rejects a dictionary-encoded column among those read: the readers take plain values only. */
    static void checkPlain(Path file, List<Field> read) {
        for (Field field : read) {
            if (field.getDictionary() != null) {
                throw new BadInputException(file + ": column '" + field.getName() + "' is dictionary-encoded "
                        + "(categorical); write it with plain values (in pandas: .astype(str) or a numeric type)");
            }
        }
    }

    /** The id type of an id column: integers or strings. */
    static ColumnType idType(Path file, Field idField) {
        return switch (idField.getType()) {
            // A uint64 id may not fit a signed long: kept as its decimal text, the id is never wrapped.
            case ArrowType.Int i when i.getBitWidth() == 64 && !i.getIsSigned() -> ColumnType.UTF8;
            // Null: a CSV id column with no values in its first block; each empty id is then reported.
            case ArrowType.Int i -> ColumnType.INT64;
            case ArrowType.Null n -> ColumnType.INT64;
            case ArrowType.Utf8 u -> ColumnType.UTF8;
            case ArrowType.LargeUtf8 u -> ColumnType.UTF8;
            default -> throw new BadInputException(file + ": id column '" + idField.getName() + "' has type "
                    + idField.getType() + "; ids must be integers or strings (choose another id column with --id-column)");
        };
    }

    static Field find(List<Field> fields, String name) {
        return fields.stream().filter(f -> f.getName().equals(name)).findFirst().orElse(null);
    }

    static Field required(Path file, List<Field> fields, String name) {
        Field field = find(fields, name);
        if (field == null) {
            throw new BadInputException(file + ": no column named '" + name + "'; available columns: " + names(fields));
        }
        return field;
    }

    /** Columns to read: the features, then the id when the file has one. */
    List<String> projection() {
        List<String> columns = new ArrayList<>(features);
        if (idColumn != null && !features.contains(idColumn)) {
            columns.add(idColumn);
        }
        return columns;
    }

    /**
     * Whether values of this type convert to float32. The Null type counts: it is what a CSV column
     * with no values in its first block is inferred as, and its nulls are then reported row by row.
     */
    static boolean isNumeric(ArrowType type) {
        return type instanceof ArrowType.Int || type instanceof ArrowType.FloatingPoint
                || type instanceof ArrowType.Decimal || type instanceof ArrowType.Null;
    }

    private static String names(List<Field> fields) {
        return fields.stream().map(Field::getName).collect(Collectors.joining(", "));
    }
}
