package dev.segmenta.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes RFC 4180 CSV with a header row, optionally gzip-compressed. Floats are printed in their
 * shortest round-trip form ({@link Float#toString}), so reading the file back gives the same float32.
 */
final class CsvTableWriter extends TableWriter {

    private final Writer out;
    private final StringBuilder line = new StringBuilder(256);

    CsvTableWriter(Path target, List<Column> schema, Path temp, boolean gzip) throws IOException {
        super(target, schema, temp);
        OutputStream file = Files.newOutputStream(temp);
        try {
            out = new BufferedWriter(new OutputStreamWriter(gzip ? new GZIPOutputStream(file, 1 << 16) : file,
                    StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            file.close();
            throw e;
        }
        for (int c = 0; c < schema.size(); c++) {
            line.append(c == 0 ? "" : ",");
            appendText(schema.get(c).name());
        }
        out.write(line.append('\n').toString());
    }

    @Override
    void writeBlock(int rows, Object[] columns) throws IOException {
        for (int i = 0; i < rows; i++) {
            line.setLength(0);
            for (int c = 0; c < columns.length; c++) {
                if (c > 0) {
                    line.append(',');
                }
                boolean instant = schema().get(c).type() == ColumnType.TIMESTAMP;
                switch (columns[c]) {
                    case long[] a when instant -> appendInstant(a[i]);
                    case long[] a -> line.append(a[i]);
                    case IdColumn.Longs a -> line.append(a.values()[i]);
                    case IdColumn.Utf8 a -> appendText(a.text(i));
                    case String[] a -> appendText(a[i]);
                    case int[] a -> line.append(a[i]);
                    case float[] a -> line.append(a[i]);
                    case double[] a -> line.append(a[i]);
                    default -> throw new IllegalStateException("checked by TableWriter.write: " + columns[c].getClass());
                }
            }
            out.append(line).append('\n');
        }
    }

    /** ISO-8601 in UTC, e.g. {@code 2024-03-31T14:05:09Z}: what the readers parse back to the same microsecond. */
    private void appendInstant(long micros) {
        line.append(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    /** Quotes text only when it holds a separator, quote or line break, doubling inner quotes. */
    private void appendText(String text) {
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
                || text.indexOf('\r') >= 0;
        if (!quote) {
            line.append(text);
            return;
        }
        line.append('"').append(text.replace("\"", "\"\"")).append('"');
    }

    @Override
    void finish() throws IOException {
        out.close();
    }

    @Override
    void release() throws IOException {
        out.close();
    }
}
