package dev.segmenta.io;

import java.util.ArrayList;
import java.util.List;

import dev.hardwood.metadata.LogicalType;
import dev.hardwood.schema.ColumnSchema;
import dev.hardwood.schema.FileSchema;
import dev.hardwood.schema.SchemaNode;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Parquet schema as read by Hardwood, given the Arrow types Arrow's own Parquet reader maps it to,
 * so that {@link ColumnRequest}s resolve a Parquet file as they resolve every other format, and
 * name its types the same way in their messages ("has type Utf8, not a number").
 */
final class ParquetSchemas {

    private ParquetSchemas() {
    }

    /** The file's top-level fields; a group (struct, list, map) is one field of a nested type. */
    static Schema toArrow(FileSchema schema) {
        List<Field> fields = new ArrayList<>();
        for (SchemaNode node : schema.getRootNode().children()) {
            fields.add(new Field(node.name(), FieldType.nullable(type(schema, node)), null));
        }
        return new Schema(fields);
    }

    private static ArrowType type(FileSchema schema, SchemaNode node) {
        return switch (node) {
            case SchemaNode.GroupNode group when group.isList() -> ArrowType.List.INSTANCE;
            case SchemaNode.GroupNode group when group.isMap() -> new ArrowType.Map(false);
            case SchemaNode.GroupNode group -> ArrowType.Struct.INSTANCE;
            case SchemaNode.PrimitiveNode leaf -> type(schema.getColumn(leaf.columnIndex()));
            default -> throw new IllegalStateException("unknown schema node " + node);
        };
    }

    /** As Arrow's {@code parquet::arrow::FromParquetSchema}, for the types a reader here can meet. */
    static ArrowType type(ColumnSchema leaf) {
        LogicalType logical = leaf.logicalType();
        if (logical instanceof LogicalType.DecimalType d) {
            return new ArrowType.Decimal(d.precision(), d.scale(), d.precision() > 38 ? 256 : 128);
        }
        return switch (leaf.type()) {
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case INT32 -> switch (logical) {
                case LogicalType.IntType i -> new ArrowType.Int(i.bitWidth(), i.isSigned());
                case LogicalType.DateType d -> new ArrowType.Date(DateUnit.DAY);
                case LogicalType.TimeType t -> new ArrowType.Time(TimeUnit.MILLISECOND, 32);
                case null, default -> new ArrowType.Int(32, true);
            };
            case INT64 -> switch (logical) {
                case LogicalType.IntType i -> new ArrowType.Int(64, i.isSigned());
                case LogicalType.TimestampType t -> new ArrowType.Timestamp(unit(t.unit()), t.isAdjustedToUTC() ? "UTC" : null);
                case LogicalType.TimeType t -> new ArrowType.Time(unit(t.unit()), 64);
                case null, default -> new ArrowType.Int(64, true);
            };
            case INT96 -> new ArrowType.Timestamp(TimeUnit.NANOSECOND, null);
            case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BYTE_ARRAY -> logical instanceof LogicalType.StringType || logical instanceof LogicalType.EnumType
                    || logical instanceof LogicalType.JsonType ? ArrowType.Utf8.INSTANCE : ArrowType.Binary.INSTANCE;
            case FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalType.Float16Type
                    ? new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)
                    : new ArrowType.FixedSizeBinary(leaf.typeLength() == null ? 0 : leaf.typeLength());
        };
    }

    private static TimeUnit unit(LogicalType.TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> TimeUnit.MILLISECOND;
            case MICROS -> TimeUnit.MICROSECOND;
            case NANOS -> TimeUnit.NANOSECOND;
        };
    }
}
