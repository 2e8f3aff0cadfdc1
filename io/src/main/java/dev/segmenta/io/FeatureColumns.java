package dev.segmenta.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

    static FeatureColumns resolve(Path file, Schema schema, ReadOptions options) {
        List<Field> fields = schema.getFields();
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

        Field idField = fields.stream().filter(f -> f.getName().equals(options.idColumn())).findFirst().orElse(null);
        ColumnType idType = ColumnType.INT64;
        if (idField != null) {
            idType = switch (idField.getType()) {
                // Null: a CSV id column with no values in its first block; each empty id is then reported.
                case ArrowType.Int i -> ColumnType.INT64;
                case ArrowType.Null n -> ColumnType.INT64;
                case ArrowType.Utf8 u -> ColumnType.UTF8;
                case ArrowType.LargeUtf8 u -> ColumnType.UTF8;
                default -> throw new BadInputException(file + ": id column '" + idField.getName() + "' has type "
                        + idField.getType() + "; ids must be integers or strings (choose another id column with --id-column)");
            };
        }

        List<String> features = new ArrayList<>();
        if (options.features() != null) {
            for (String name : options.features()) {
                Field field = fields.stream().filter(f -> f.getName().equals(name)).findFirst()
                        .orElseThrow(() -> new BadInputException(file + ": no column named '" + name
                                + "'; available columns: " + names(fields)));
                if (!isNumeric(field.getType())) {
                    throw new BadInputException(file + ": column '" + name + "' has type " + field.getType()
                            + ", not a number; choose numeric feature columns");
                }
                features.add(name);
            }
        } else {
            for (Field field : fields) {
                if (isNumeric(field.getType()) && field != idField && !options.excluded().contains(field.getName())) {
                    features.add(field.getName());
                }
            }
            if (features.isEmpty()) {
                throw new BadInputException(file + ": no numeric feature columns (columns: " + names(fields)
                        + "); name the features to use explicitly");
            }
        }
        for (Field field : fields) {
            if (field.getDictionary() != null && (field == idField || features.contains(field.getName()))) {
                throw new BadInputException(file + ": column '" + field.getName() + "' is dictionary-encoded "
                        + "(categorical); write it with plain values (in pandas: .astype(str) or a numeric type)");
            }
        }
        return new FeatureColumns(List.copyOf(features), idField == null ? null : idField.getName(), idType);
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
