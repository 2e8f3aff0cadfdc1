package dev.segmenta.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** The three columns of a transaction log, checked against the file's schema at open. */
record TransactionColumns(String idColumn, ColumnType idType, String timestampColumn, String amountColumn) {

    static ColumnRequest<TransactionColumns> request(TransactionOptions options) {
        return new ColumnRequest<>() {
            @Override
            public TransactionColumns resolve(Path file, Schema schema) {
                List<Field> fields = schema.getFields();
                FeatureColumns.checkUniqueNames(file, fields);
                Field id = FeatureColumns.required(file, fields, options.idColumn());
                Field timestamp = FeatureColumns.required(file, fields, options.timestampColumn());
                Field amount = FeatureColumns.required(file, fields, options.amountColumn());
                // Null is what a column without values has (a CSV header only, an all-null column): each row's
                // empty time is then reported, or the file's lack of rows.
                if (!(timestamp.getType() instanceof ArrowType.Timestamp || timestamp.getType() instanceof ArrowType.Date
                        || timestamp.getType() instanceof ArrowType.Utf8 || timestamp.getType() instanceof ArrowType.LargeUtf8
                        || timestamp.getType() instanceof ArrowType.Null)) {
                    throw new BadInputException(file + ": column '" + timestamp.getName() + "' has type "
                            + timestamp.getType() + "; give the purchase time as an Arrow timestamp or date, or as "
                            + IsoTimestamps.FORMS);
                }
                FeatureColumns.checkPlain(file, List.of(id, timestamp, amount));
                if (!FeatureColumns.isNumeric(amount.getType())) {
                    throw new BadInputException(file + ": column '" + amount.getName() + "' has type " + amount.getType()
                            + ", not a number; give the amount of each transaction as a number");
                }
                return new TransactionColumns(id.getName(), FeatureColumns.idType(file, id), timestamp.getName(),
                        amount.getName());
            }

            @Override
            public List<String> projection(TransactionColumns columns) {
                return List.of(columns.idColumn, columns.timestampColumn, columns.amountColumn);
            }

            @Override
            public Set<String> csvTextReadAsNumbers(List<String> textColumns,
                                                    Function<List<String>, Set<String>> mostlyNumeric) {
                return textColumns.contains(options.amountColumn()) ? Set.of(options.amountColumn()) : Set.of();
            }

            @Override
            public Set<String> csvText() {
                return Set.of(options.idColumn());
            }

            /** Timestamps as text, parsed by {@link IsoTimestamps}: one parser, one error message, for every file. */
            @Override
            public Map<String, ArrowType> csvTypes(TransactionColumns columns) {
                return Map.of(columns.timestampColumn, ArrowType.Utf8.INSTANCE, columns.amountColumn, FeatureColumns.FLOAT64);
            }
        };
    }
}
