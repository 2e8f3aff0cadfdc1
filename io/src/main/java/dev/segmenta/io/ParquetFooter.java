package dev.segmenta.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.segmenta.io.ThriftCompactReader.Malformed;

/**
 * What a Parquet file's footer declares about its layout (row groups, their row counts, where each
 * column chunk lies), read and checked before a decoder sees the file; the row
 * count it gives is what a command's memory estimate starts from.
 *
 * <p>Arrow's native decoder, used before, trusted those declarations and looped over the rows they
 * claimed: a few corrupt bytes (found by fuzzing) made a row group of a 20-row file claim 237 billion rows, which kept it
 * busy for minutes. So a footer whose declarations cannot be true of its file is rejected here,
 * naming what is wrong: counts that disagree, a column chunk beyond the file's data. Pages are not
 * walked: what their headers claim is checked by the decoder as it reads them, and a page that holds
 * fewer rows than the footer declares is caught by the decoder of its column chunk ({@link ParquetScan}).
 */
record ParquetFooter(long rows, List<String> columns, List<RowGroup> rowGroups) {

    /** What a Parquet file begins and ends with (also written by {@link ParquetTableWriter}). */
    static final byte[] MAGIC = {'P', 'A', 'R', '1'};
    private static final byte[] ENCRYPTED_MAGIC = {'P', 'A', 'R', 'E'};

    /** Parquet's compression codecs by number, as the footer names them. */
    static final List<String> CODECS = List.of("UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW");

    /** One row group: the rows it declares and its column chunks. */
    record RowGroup(long rows, List<ColumnChunk> columns) { }

    /**
     * One column chunk: its top-level column, the values it declares, the bytes
     * [{@code start}, {@code start + compressedBytes}) of the file that hold its pages (headers
     * included), and its compression codec (an index into {@link #CODECS}, or beyond it for one
     * this reader does not know).
     */
    record ColumnChunk(String column, long values, long start, long compressedBytes, int codec) { }

    /**
     * Reads and checks the footer of {@code file}.
     *
     * @throws Malformed with a reason, when the footer is missing, broken or declares a layout the
     *                   file cannot hold
     */
    static ParquetFooter read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 12) {
                throw new Malformed("only " + size + " bytes, too short for a Parquet file");
            }
            ByteBuffer head = readFully(channel, 0, 4);
            ByteBuffer tail = readFully(channel, size - 8, 8);
            byte[] tailMagic = new byte[4];
            tail.get(4, tailMagic);
            if (Arrays.equals(tailMagic, ENCRYPTED_MAGIC)) {
                throw new Malformed("its footer is encrypted, which is not supported");
            }
            if (!head.equals(ByteBuffer.wrap(MAGIC)) || !Arrays.equals(tailMagic, MAGIC)) {
                throw new Malformed("no Parquet magic bytes ('PAR1') at its start and end");
            }
            long footerBytes = Integer.toUnsignedLong(tail.getInt(0));
            long dataEnd = size - 8 - footerBytes;
            if (dataEnd < 4 || footerBytes > Integer.MAX_VALUE) {
                throw new Malformed("footer of " + footerBytes + " bytes in a file of " + size);
            }
            // Read, not mapped: a mapping outlives the channel until a garbage collection, and a file
            // still mapped many times over is slow to rewrite (found fuzzing: 6× fewer runs per second).
            ParquetFooter parsed = parse(new ThriftCompactReader(readFully(channel, dataEnd, (int) footerBytes)));
            parsed.check(dataEnd);
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ParquetFooter parse(ThriftCompactReader in) {
        long rows = -1;
        List<String> columns = List.of();
        List<RowGroup> groups = null;
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            switch (in.fieldId()) {
                case 2 -> columns = parseTopLevelNames(in);
                case 3 -> rows = in.readI64();
                case 4 -> {
                    int n = in.readListHeader(ThriftCompactReader.STRUCT);
                    groups = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        groups.add(parseRowGroup(in, i));
                    }
                }
                default -> in.skip(type);
            }
        }
        if (rows < 0 || groups == null) {
            throw new Malformed("footer lacks its row count or row groups");
        }
        return new ParquetFooter(rows, columns, List.copyOf(groups));
    }

    /**
     * The names of the top-level columns, from the schema: a flat list of elements in depth-first
     * order, the root first, each with the number of children that follow it. Read here, because
     * Arrow refuses a file with two columns of one name without saying which.
     */
    private static List<String> parseTopLevelNames(ThriftCompactReader in) {
        int n = in.readListHeader(ThriftCompactReader.STRUCT);
        List<String> names = new ArrayList<>(Math.min(n, 1024));
        long[] children = new long[n];
        for (int i = 0; i < n; i++) {
            String name = null;
            in.beginStruct();
            for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
                switch (in.fieldId()) {
                    case 4 -> name = in.readString();
                    case 5 -> children[i] = in.readI64();
                    default -> in.skip(type);
                }
            }
            names.add(name);
            if (children[i] < 0) {
                throw new Malformed("schema element " + i + " declares " + children[i] + " children");
            }
        }
        List<String> topLevel = new ArrayList<>();
        // After the root, each top-level column is followed by its descendants: 'pending' counts those
        // still to come.
        int next = 1;
        for (long c = 0; n > 0 && c < children[0]; c++) {
            if (next >= n) {
                throw new Malformed("its schema declares more columns than it lists");
            }
            topLevel.add(names.get(next));
            long pending = children[next++];
            while (pending > 0) {
                if (next >= n) {
                    throw new Malformed("its schema declares more columns than it lists");
                }
                pending += children[next++] - 1;
            }
        }
        return topLevel;
    }

    private static RowGroup parseRowGroup(ThriftCompactReader in, int index) {
        long rows = -1;
        List<ColumnChunk> columns = null;
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            switch (in.fieldId()) {
                case 1 -> {
                    int n = in.readListHeader(ThriftCompactReader.STRUCT);
                    columns = new ArrayList<>(Math.min(n, 1024));
                    for (int i = 0; i < n; i++) {
                        columns.add(parseColumnChunk(in, index));
                    }
                }
                case 3 -> rows = in.readI64();
                default -> in.skip(type);
            }
        }
        if (rows < 0 || columns == null) {
            throw new Malformed("row group " + index + " lacks its row count (or declares a negative one) or its columns");
        }
        return new RowGroup(rows, List.copyOf(columns));
    }

    private static ColumnChunk parseColumnChunk(ThriftCompactReader in, int group) {
        ColumnChunk chunk = null;
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            switch (in.fieldId()) {
                case 1 -> throw new Malformed("row group " + group + " has a column chunk in another file ('"
                        + in.readString() + "'), which is not supported");
                case 3 -> chunk = parseColumnMetaData(in, group);
                default -> in.skip(type);
            }
        }
        if (chunk == null) {
            throw new Malformed("row group " + group + " has a column chunk without metadata (encrypted columns are not supported)");
        }
        return chunk;
    }

    private static ColumnChunk parseColumnMetaData(ThriftCompactReader in, int group) {
        String column = null;
        long values = -1;
        long compressed = -1;
        long dataPage = -1;
        long dictionaryPage = -1;
        int codec = 0;
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            switch (in.fieldId()) {
                case 3 -> {
                    int n = in.readListHeader(ThriftCompactReader.BINARY);
                    for (int i = 0; i < n; i++) {
                        String part = in.readStringElement();
                        if (i == 0) {
                            column = part;
                        }
                    }
                }
                case 4 -> codec = (int) Math.clamp(in.readI64(), 0, Integer.MAX_VALUE);
                case 5 -> values = in.readI64();
                case 7 -> compressed = in.readI64();
                case 9 -> dataPage = in.readI64();
                case 11 -> dictionaryPage = in.readI64();
                default -> in.skip(type);
            }
        }
        if (column == null || values < 0 || compressed < 0 || dataPage < 0) {
            throw new Malformed("row group " + group + " has a column chunk whose metadata lacks its path, value count,"
                    + " size or page offset (or declares a negative one)");
        }
        // As Arrow reads it: a dictionary page counts only when it comes before the data pages (some
        // writers put 0 there for "none").
        long start = dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
        return new ColumnChunk(column, values, start, compressed, codec);
    }

    /** Checks the declarations against each other and against the file's data, [4, dataEnd). */
    private void check(long dataEnd) {
        long sum = 0;
        for (int g = 0; g < rowGroups.size(); g++) {
            RowGroup group = rowGroups.get(g);
            sum = addOrFail(sum, group.rows(), "row counts of its row groups");
            for (ColumnChunk chunk : group.columns()) {
                if (group.rows() == 0) {
                    // Nothing is read from an empty row group, and pyarrow places its chunks at offset 0.
                    continue;
                }
                // Every row leaves at least one value (a null, an empty list) in every column.
                if (chunk.values() < group.rows()) {
                    throw new Malformed("row group " + g + " declares " + group.rows() + " rows but its column '"
                            + chunk.column() + "' holds " + chunk.values() + " values");
                }
                if (chunk.start() < 4 || chunk.compressedBytes() > dataEnd - chunk.start()) {
                    throw new Malformed("row group " + g + " places column '" + chunk.column() + "' at bytes "
                            + chunk.start() + "+" + chunk.compressedBytes() + ", outside the file's data (bytes 4 to "
                            + dataEnd + ")");
                }
            }
        }
        if (sum != rows) {
            throw new Malformed("its footer declares " + rows + " rows but its row groups hold " + sum);
        }
    }

    private static long addOrFail(long a, long b, String what) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new Malformed("the " + what + " overflow");
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long at, int length) throws IOException {
        ByteBuffer buffer = InputFiles.read(channel, at, length);
        if (buffer.remaining() < length) {
            throw new Malformed("ends at byte " + (at + buffer.remaining()) + ", inside a structure");
        }
        return buffer;
    }
}
