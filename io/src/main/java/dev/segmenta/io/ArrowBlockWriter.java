package dev.segmenta.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Copies blocks of primitive arrays into Arrow vectors and appends them as record batches to an
 * Arrow IPC file or stream. Shared by the Arrow IPC writer and, through a temporary stream, the
 * Parquet writer. Holds one block's vectors at a time.
 */
final class ArrowBlockWriter implements AutoCloseable {

    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final FileChannel channel;
    private final ArrowWriter writer;
    private boolean closed;

    ArrowBlockWriter(Path file, List<Column> columns, boolean stream) throws IOException {
        allocator = Arrow.allocator().newChildAllocator("writer " + file, 0, Long.MAX_VALUE);
        root = VectorSchemaRoot.create(arrowSchema(columns), allocator);
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            writer = stream ? new ArrowStreamWriter(root, null, channel) : new ArrowFileWriter(root, null, channel);
            writer.start();
        } catch (IOException | RuntimeException e) {
            AutoCloseables.closeNoChecked(root);
            AutoCloseables.closeNoChecked(allocator);
            throw e;
        }
    }

    static Schema arrowSchema(List<Column> columns) {
        return new Schema(columns.stream().map(c -> new Field(c.name(), FieldType.notNullable(switch (c.type()) {
            case INT64 -> new ArrowType.Int(64, true);
            case INT32 -> new ArrowType.Int(32, true);
            case UTF8 -> ArrowType.Utf8.INSTANCE;
            case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        }), null)).toList());
    }

    void write(int rows, Object[] columns) throws IOException {
        for (int c = 0; c < columns.length; c++) {
            FieldVector vector = root.getVector(c);
            switch (columns[c]) {
                case long[] a -> fill((BaseFixedWidthVector) vector, a, rows);
                case IdColumn.Longs a -> fill((BaseFixedWidthVector) vector, a.values(), rows);
                case int[] a -> {
                    IntVector v = (IntVector) vector;
                    v.allocateNew(rows);
                    bytes(v, rows, Integer.BYTES).asIntBuffer().put(a, 0, rows);
                    allValid(v, rows);
                }
                case float[] a -> {
                    Float4Vector v = (Float4Vector) vector;
                    v.allocateNew(rows);
                    bytes(v, rows, Float.BYTES).asFloatBuffer().put(a, 0, rows);
                    allValid(v, rows);
                }
                case double[] a -> {
                    Float8Vector v = (Float8Vector) vector;
                    v.allocateNew(rows);
                    bytes(v, rows, Double.BYTES).asDoubleBuffer().put(a, 0, rows);
                    allValid(v, rows);
                }
                case IdColumn.Utf8 a -> {
                    VarCharVector v = (VarCharVector) vector;
                    v.allocateNew(a.offsets()[rows] - a.offsets()[0], rows);
                    for (int i = 0; i < rows; i++) {
                        v.set(i, a.bytes(), a.offsets()[i], a.offsets()[i + 1] - a.offsets()[i]);
                    }
                    v.setValueCount(rows);
                }
                case String[] a -> {
                    VarCharVector v = (VarCharVector) vector;
                    v.allocateNew(rows);
                    for (int i = 0; i < rows; i++) {
                        v.setSafe(i, a[i].getBytes(StandardCharsets.UTF_8));
                    }
                    v.setValueCount(rows);
                }
                default -> throw new IllegalStateException("checked by TableWriter.write: " + columns[c].getClass());
            }
        }
        root.setRowCount(rows);
        writer.writeBatch();
    }

    /** A 64-bit column: int64 or timestamp. */
    private static void fill(BaseFixedWidthVector v, long[] values, int rows) {
        v.allocateNew(rows);
        bytes(v, rows, Long.BYTES).asLongBuffer().put(values, 0, rows);
        allValid(v, rows);
    }

    private static ByteBuffer bytes(FieldVector v, int rows, int width) {
        return v.getDataBuffer().nioBuffer(0, rows * width).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Columns are never null: set the validity bitmap in bulk rather than bit by bit. */
    private static void allValid(FieldVector v, int rows) {
        v.getValidityBuffer().setOne(0, BitVectorHelper.getValidityBufferSize(rows));
        v.setValueCount(rows);
    }

    /** Writes the footer (file) or end-of-stream marker (stream); forcing to disk is the commit's job. */
    void finish() throws IOException {
        writer.end();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            AutoCloseables.close(writer, channel, root, allocator);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
