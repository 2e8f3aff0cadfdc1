package dev.segmenta.engine.cli;

import dev.segmenta.io.Arrow;
import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes small tables in every input format with what Segmenta's own writers never produce: nulls,
 * NaN, duplicate column names, mixed types. A column holds {@code Double}, {@code Long} or
 * {@code String} values (or {@code null}); CSV cells are written as given by {@link String#valueOf}.
 */
final class Tables {

    private Tables() {
    }

    /** A column; its Arrow type follows its first non-null value (float64, int64 or utf8). */
    record Col(String name, Object... values) {
    }

    static Col col(String name, Object... values) {
        return new Col(name, values);
    }

    /** Writes the columns to {@code file} in the format its extension names (.csv, .parquet, .arrow, .arrows). */
    static Path write(Path file, Col... columns) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".csv")) {
                return Files.writeString(file, csv(columns));
            }
            byte[] stream = arrow(columns, false);
            if (name.endsWith(".arrows")) {
                return Files.write(file, stream);
            }
            if (name.endsWith(".arrow")) {
                return Files.write(file, arrow(columns, true));
            }
            if (name.endsWith(".parquet")) {
                return parquet(file, stream);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("unknown extension: " + file);
    }

    static String csv(Col... columns) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < columns.length; c++) {
            text.append(c == 0 ? "" : ",").append(columns[c].name());
        }
        text.append('\n');
        for (int r = 0; r < columns[0].values().length; r++) {
            for (int c = 0; c < columns.length; c++) {
                Object v = columns[c].values()[r];
                text.append(c == 0 ? "" : ",").append(v == null ? "" : String.valueOf(v));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static ArrowType type(Col column) {
        for (Object v : column.values()) {
            if (v instanceof Double) {
                return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            }
            if (v instanceof Long) {
                return new ArrowType.Int(64, true);
            }
            if (v instanceof String) {
                return ArrowType.Utf8.INSTANCE;
            }
        }
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    }

    private static byte[] arrow(Col[] columns, boolean fileFormat) throws IOException {
        List<Field> fields = new ArrayList<>();
        for (Col column : columns) {
            fields.add(new Field(column.name(), FieldType.nullable(type(column)), null));
        }
        BufferAllocator allocator = Arrow.allocator();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
             ArrowWriter writer = fileFormat ? new ArrowFileWriter(root, null, Channels.newChannel(bytes))
                     : new ArrowStreamWriter(root, null, Channels.newChannel(bytes))) {
            int rows = columns[0].values().length;
            for (int c = 0; c < columns.length; c++) {
                FieldVector vector = root.getVector(c);
                vector.allocateNew();
                for (int r = 0; r < rows; r++) {
                    Object v = columns[c].values()[r];
                    switch (vector) {
                        case Float8Vector f when v != null -> f.setSafe(r, ((Number) v).doubleValue());
                        case BigIntVector l when v != null -> l.setSafe(r, ((Number) v).longValue());
                        case VarCharVector s when v != null -> s.setSafe(r, v.toString().getBytes(StandardCharsets.UTF_8));
                        default -> vector.setNull(r);
                    }
                }
                vector.setValueCount(rows);
            }
            root.setRowCount(rows);
            writer.start();
            if (rows > 0) {
                writer.writeBatch();
            }
            writer.end();
        }
        return bytes.toByteArray();
    }

    /**
     * An Arrow IPC file (or stream, by extension) whose id column is dictionary-encoded, as pandas
     * writes a categorical column.
     */
    static Path writeDictionaryEncoded(Path file) throws IOException {
        BufferAllocator allocator = Arrow.allocator();
        DictionaryEncoding encoding = new DictionaryEncoding(1, false, new ArrowType.Int(32, true));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VarCharVector values = new VarCharVector("ids", allocator);
             VarCharVector ids = new VarCharVector("customer_id", allocator);
             Float8Vector spend = new Float8Vector("spend", allocator);
             Float8Vector visits = new Float8Vector("visits", allocator)) {
            values.allocateNew();
            ids.allocateNew();
            spend.allocateNew();
            visits.allocateNew();
            for (int i = 0; i < 2; i++) {
                values.setSafe(i, ("c" + i).getBytes(StandardCharsets.UTF_8));
                ids.setSafe(i, ("c" + i).getBytes(StandardCharsets.UTF_8));
                spend.setSafe(i, i + 0.5);
                visits.setSafe(i, i + 2.0);
            }
            values.setValueCount(2);
            ids.setValueCount(2);
            spend.setValueCount(2);
            visits.setValueCount(2);
            DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
            provider.put(new Dictionary(values, encoding));
            try (FieldVector encoded = (FieldVector) DictionaryEncoder.encode(ids, provider.lookup(1));
                 VectorSchemaRoot root = new VectorSchemaRoot(List.of(encoded, spend, visits));
                 ArrowWriter writer = file.toString().endsWith(".arrows")
                         ? new ArrowStreamWriter(root, provider, Channels.newChannel(bytes))
                         : new ArrowFileWriter(root, provider, Channels.newChannel(bytes))) {
                root.setRowCount(2);
                writer.start();
                writer.writeBatch();
                writer.end();
            }
        }
        return Files.write(file, bytes.toByteArray());
    }

    private static Path parquet(Path file, byte[] stream) throws IOException {
        Path directory = Files.createTempDirectory(file.toAbsolutePath().getParent(), ".parquet-writer");
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), Arrow.allocator())) {
            DatasetFileWriter.write(Arrow.allocator(), reader, FileFormat.PARQUET, directory.toUri().toString(),
                    new String[0], 1, "part-{i}.parquet");
        }
        Files.move(directory.resolve("part-0.parquet"), file, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> left = Files.walk(directory)) {
            for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return file;
    }
}
