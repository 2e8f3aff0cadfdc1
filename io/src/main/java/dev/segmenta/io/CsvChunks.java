package dev.segmenta.io;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A CSV file's text cut into chunks of whole rows, read in large pieces: each chunk ends at a line
 * break outside quotes (or at the end of the file), so that chunks parse independently, on any thread.
 *
 * <p>Where to cut is the only sequential work: a chunk without a quote character (most customer
 * exports) is cut at its last line break, found from the end; one with quotes is walked once with the
 * same states the parser has ({@link CsvBlock}), so that a quoted line break never splits a row.
 */
final class CsvChunks implements AutoCloseable {

    /** The longest row taken: a Java array holds at most 2 GiB, and a row that long is a broken file. */
    static final int MAX_ROW_BYTES = 1 << 30;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUOTES = 0x2222_2222_2222_2222L;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    /** Quote states of the cut finder, as in the parser: at a cell's start, in a plain cell, in quotes, after a quote in quotes. */
    private static final int START = 0;
    private static final int PLAIN = 1;
    private static final int QUOTED = 2;
    private static final int QUOTE_IN_QUOTES = 3;

    /** Rows of text: {@code bytes[from, to)}; {@code last} when nothing follows them. */
    record Chunk(byte[] bytes, int from, int to, boolean last) {
        Chunk from(int start) {
            return new Chunk(bytes, start, to, last);
        }
    }

    private final Path file;
    private final InputStream in;
    private byte[] carry = new byte[0];
    private int carried;
    private boolean end;

    private CsvChunks(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** The text of {@code file}, decompressed when it is a {@code .csv.gz}. */
    static CsvChunks open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return new CsvChunks(file, TableFormat.of(file).orElseThrow() == TableFormat.CSV_GZIP
                    ? new GZIPInputStream(raw, 1 << 16) : raw);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * The next rows, about {@code target} bytes of them (more where one row is longer), or {@code null}
     * after the last.
     */
    Chunk next(int target) throws IOException {
        if (end && carried == 0) {
            return null;
        }
        byte[] buffer = new byte[Math.max(target, carried + (carried >> 1))];
        System.arraycopy(carry, 0, buffer, 0, carried);
        int length = carried;
        while (true) {
            if (!end) {
                length += in.readNBytes(buffer, length, buffer.length - length);
                end = length < buffer.length;
            }
            if (end) {
                carried = 0;
                return length == 0 ? null : new Chunk(buffer, 0, length, true);
            }
            int cut = lastRowEnd(buffer, length);
            if (cut > 0) {
                carried = length - cut;
                if (carry.length < carried) {
                    carry = new byte[Math.max(carried, 1 << 16)];
                }
                System.arraycopy(buffer, cut, carry, 0, carried);
                return new Chunk(buffer, 0, cut, false);
            }
            if (buffer.length >= MAX_ROW_BYTES) {
                throw new BadInputException(file + ": has a line longer than 1 GiB (a long cell, or a quote '\"' that is"
                        + " never closed), more than the CSV reader takes; shorten or leave out the long cells, close the"
                        + " quote, or convert the file to Parquet");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_ROW_BYTES, 2L * buffer.length));
        }
    }

    /** Where the last complete row of {@code bytes[0, length)} ends (after its line break), or -1. */
    static int lastRowEnd(byte[] bytes, int length) {
        if (!containsQuote(bytes, length)) {
            for (int i = length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return i + 1;
                }
            }
            return -1;
        }
        int state = START;
        int last = -1;
        for (int i = 0; i < length; i++) {
            byte c = bytes[i];
            switch (state) {
                case START, PLAIN -> {
                    if (c == '\n') {
                        last = i + 1;
                        state = START;
                    } else if (c == ',' || c == '\r') {
                        state = START;
                    } else if (state == START && c == '"') {
                        state = QUOTED;
                    } else {
                        state = PLAIN;
                    }
                }
                case QUOTED -> state = c == '"' ? QUOTE_IN_QUOTES : QUOTED;
                default -> {
                    if (c == '"') {
                        state = QUOTED;
                    } else if (c == '\n') {
                        last = i + 1;
                        state = START;
                    } else {
                        state = c == ',' || c == '\r' ? START : PLAIN;
                    }
                }
            }
        }
        return last;
    }

    /** Whether {@code bytes[0, length)} holds a '"', eight bytes at a time. */
    static boolean containsQuote(byte[] bytes, int length) {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ QUOTES;
            if (((word - ONES) & ~word & HIGHS) != 0) {
                return true;
            }
        }
        for (; i < length; i++) {
            if (bytes[i] == '"') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
