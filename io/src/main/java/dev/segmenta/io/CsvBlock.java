package dev.segmenta.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One chunk of CSV rows ({@link CsvChunks.Chunk}) parsed into the columns a read takes: doubles as
 * little-endian bytes (an Arrow float64 data buffer, ready to copy) with the rows that are null, text
 * as UTF-8 bytes with offsets. Cells are split as Arrow's CSV parser split them: a cell opening with
 * '"' runs to the next lone '"' ({@code ""} inside is one quote, line breaks and commas are kept), and
 * text after the closing quote is kept too; {@code \n}, {@code \r\n} and {@code \r} end a row; empty
 * lines are skipped.
 *
 * <p>Parsing stops at the first bad row (a bad cell, a row with too few or too many cells, a quote
 * never closed): the rows before it are kept and {@link #failure} says what is wrong, for the reader
 * to report once it has handed out those rows, with the row's number in the whole file.
 */
final class CsvBlock {

    /** What a column is read as. */
    enum Kind {
        /** float64: empty cells and Arrow's null spellings are null; anything else not a number is an error. */
        DOUBLE,
        /** utf8, exactly as written (an empty cell is ""); bytes that are not UTF-8 are an error. */
        TEXT,
        /** The cell's bytes, unchecked: for looking at a sample. */
        BYTES
    }

    /**
     * The columns read from rows of {@code width} cells: {@code slots[c]} is the slot of the file's
     * column {@code c}, or -1 where it is not read; {@code kinds[s]} what slot {@code s} is read as.
     */
    record Layout(int width, int[] slots, Kind[] kinds) { }

    /** What stopped the parse, at {@code row} (0-based in this block) in {@code column} (the file's). */
    record Failure(Problem problem, int row, int column, int cells, String value) {

        /** The message after the file's name, for row {@code number} (1-based in the file). */
        String message(long number, List<String> names, int width) {
            String name = column >= 0 && column < names.size() ? names.get(column) : "#" + column;
            return switch (problem) {
                case SHORT_ROW -> "row " + number + " has " + cells + " values but the header has " + width
                        + " columns; the file may be truncated or a line broken, re-export it";
                case NOT_A_NUMBER -> "row " + number + ", column '" + name + "': CSV conversion error to double: invalid value '"
                        + value + "'" + CsvSource.fixFor(value);
                case NOT_UTF8 -> "row " + number + ", column '" + name + "': CSV conversion error to string: invalid UTF8 data"
                        + "; the file is not UTF-8 text (it may be Latin-1 or Windows-1252): re-save it as UTF-8";
                case QUOTE_NOT_CLOSED -> "row " + number + ", column '" + name + "' opens a quote '\"' that is never closed,"
                        + " which makes the rest of the file one cell; close the quote (a quote inside a quoted cell is"
                        + " written twice: \"\"), or remove it";
            };
        }
    }

    enum Problem { SHORT_ROW, NOT_A_NUMBER, NOT_UTF8, QUOTE_NOT_CLOSED }

    private static final VarHandle DOUBLES = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;
    private static final long COMMAS = ',' * ONES;
    private static final long NEWLINES = '\n' * ONES;
    private static final long RETURNS = '\r' * ONES;
    /** Arrow's default null spellings for numbers ({@code ConvertOptions.null_values}). */
    private static final byte[][] NULL_SPELLINGS = List.of("#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN",
            "-nan", "1.#IND", "1.#QNAN", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null").stream()
            .map(s -> s.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    /** Longest a value quoted in a message gets: a broken file can make a cell of megabytes. */
    private static final int QUOTED_VALUE_CHARS = 200;

    final Layout layout;
    int rows;
    /** Per slot: doubles, 8 little-endian bytes a row (DOUBLE slots; null otherwise). */
    final byte[][] doubles;
    /** Per slot: the rows (ascending) whose value is null, {@code nullCounts[s]} of them. */
    final int[][] nulls;
    final int[] nullCounts;
    /** Per slot: text bytes and {@code rows + 1} offsets into them (TEXT and BYTES slots). */
    final byte[][] text;
    final int[][] offsets;
    Failure failure;

    private byte[] scratch = new byte[256];

    private CsvBlock(Layout layout, int capacity) {
        this.layout = layout;
        int slots = layout.kinds().length;
        doubles = new byte[slots][];
        nulls = new int[slots][];
        nullCounts = new int[slots];
        text = new byte[slots][];
        offsets = new int[slots][];
        for (int s = 0; s < slots; s++) {
            if (layout.kinds()[s] == Kind.DOUBLE) {
                doubles[s] = new byte[capacity * Double.BYTES];
                nulls[s] = new int[4];
            } else {
                text[s] = new byte[capacity * 8];
                offsets[s] = new int[capacity + 1];
            }
        }
    }

    /** Parses the rows of {@code chunk}, at most {@code maxRows} of them. */
    static CsvBlock parse(CsvChunks.Chunk chunk, Layout layout, int maxRows) {
        int length = chunk.to() - chunk.from();
        CsvBlock block = new CsvBlock(layout, Math.min(maxRows, Math.max(16, length / 48)));
        block.parse(chunk.bytes(), chunk.from(), chunk.to(), maxRows);
        return block;
    }

    private void parse(byte[] b, int p, int to, int maxRows) {
        int width = layout.width();
        int[] slots = layout.slots();
        Kind[] kinds = layout.kinds();
        while (p < to && rows < maxRows) {
            byte first = b[p];
            if (first == '\n' || first == '\r') {
                p++;
                continue;
            }
            ensureCapacity(rows + 1);
            int column = 0;
            Failure bad = null;
            while (true) {
                int start;
                int end;
                byte[] src = b;
                if (p < to && b[p] == '"') {
                    int close = closingQuote(b, p + 1, to);
                    if (close < 0) {
                        failure = new Failure(Problem.QUOTE_NOT_CLOSED, rows, column, 0, null);
                        return;
                    }
                    int after = close + 1;
                    int cellEnd = after;
                    while (cellEnd < to && b[cellEnd] != ',' && b[cellEnd] != '\n' && b[cellEnd] != '\r') {
                        cellEnd++;
                    }
                    if (cellEnd == after && !contains(b, p + 1, close, (byte) '"')) {
                        start = p + 1;
                        end = close;
                    } else {
                        end = unquote(b, p + 1, close, after, cellEnd);
                        src = scratch;
                        start = 0;
                    }
                    p = cellEnd;
                } else {
                    start = p;
                    p = plainCellEnd(b, p, to);
                    end = p;
                }
                int slot = column < width ? slots[column] : -1;
                if (slot >= 0 && bad == null) {
                    bad = store(slot, kinds[slot], column, src, start, end);
                }
                column++;
                if (p < to && b[p] == ',') {
                    p++;
                    continue;
                }
                if (p < to) {
                    p += b[p] == '\r' && p + 1 < to && b[p + 1] == '\n' ? 2 : 1;
                }
                break;
            }
            if (column != width) {
                failure = new Failure(Problem.SHORT_ROW, rows, -1, column, null);
                return;
            }
            if (bad != null) {
                failure = bad;
                return;
            }
            rows++;
        }
    }

    /**
     * Where the unquoted cell at {@code p} ends: at the next ',', '\n' or '\r', or {@code to}. Eight bytes
     * at a time (a zero-byte test on each word XORed with the three), a small method of its own so that it
     * is compiled early: the parse spends most of its time here.
     */
    private static int plainCellEnd(byte[] b, int p, int to) {
        for (; p + Long.BYTES <= to; p += Long.BYTES) {
            long word = (long) LONGS.get(b, p);
            long commas = word ^ COMMAS;
            long newlines = word ^ NEWLINES;
            long returns = word ^ RETURNS;
            long found = ((commas - ONES) & ~commas | (newlines - ONES) & ~newlines | (returns - ONES) & ~returns) & HIGHS;
            if (found != 0) {
                // The lowest flagged byte is a true match: a borrow only ever flags bytes above one.
                return p + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (p < to && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
            p++;
        }
        return p;
    }

    /** Whether {@code b[from, to)} holds {@code c}: a quoted cell without quotes inside needs no unescaping. */
    private static boolean contains(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return true;
            }
        }
        return false;
    }

    /** The position of the quote that closes a quoted cell whose text starts at {@code from}, or -1. */
    private static int closingQuote(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '"') {
                if (i + 1 < to && b[i + 1] == '"') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Writes the quoted text {@code b[from, close)} with doubled quotes made single, then {@code b[after, end)}, to scratch. */
    private int unquote(byte[] b, int from, int close, int after, int end) {
        int needed = close - from + end - after;
        if (scratch.length < needed) {
            scratch = new byte[Math.max(needed, 2 * scratch.length)];
        }
        int n = 0;
        for (int i = from; i < close; i++) {
            scratch[n++] = b[i];
            if (b[i] == '"') {
                i++;
            }
        }
        System.arraycopy(b, after, scratch, n, end - after);
        return n + end - after;
    }

    /** Stores one cell of the current row; returns what is wrong with it, or {@code null}. */
    private Failure store(int slot, Kind kind, int column, byte[] src, int start, int end) {
        if (kind == Kind.DOUBLE) {
            long bits = end == start ? CsvNumbers.INVALID_BITS : CsvNumbers.parseDouble(src, start, end);
            if (bits == CsvNumbers.INVALID_BITS || Double.isNaN(Double.longBitsToDouble(bits))) {
                if (end == start || isNullSpelling(src, start, end)) {
                    addNull(slot);
                    bits = 0;
                } else if (bits == CsvNumbers.INVALID_BITS) {
                    return new Failure(Problem.NOT_A_NUMBER, rows, column, 0, quoted(src, start, end));
                }
            }
            DOUBLES.set(doubles[slot], rows * Double.BYTES, Double.longBitsToDouble(bits));
            return null;
        }
        if (kind == Kind.TEXT && !Utf8.isValid(src, start, end)) {
            return new Failure(Problem.NOT_UTF8, rows, column, 0, null);
        }
        int[] offs = offsets[slot];
        int at = offs[rows];
        int length = end - start;
        if (at + length > text[slot].length) {
            text[slot] = Arrays.copyOf(text[slot], Math.max(at + length, 2 * text[slot].length));
        }
        System.arraycopy(src, start, text[slot], at, length);
        offs[rows + 1] = at + length;
        return null;
    }

    private void addNull(int slot) {
        if (nullCounts[slot] == nulls[slot].length) {
            nulls[slot] = Arrays.copyOf(nulls[slot], 2 * nulls[slot].length);
        }
        nulls[slot][nullCounts[slot]++] = rows;
    }

    static boolean isNullSpelling(byte[] src, int start, int end) {
        // Every spelling is 2 to 8 bytes long and starts with one of these: most cells are ruled out here.
        if (end - start < 2 || end - start > 8) {
            return false;
        }
        byte first = src[start];
        if (first != '#' && first != '-' && first != '1' && first != 'N' && first != 'n') {
            return false;
        }
        for (byte[] spelling : NULL_SPELLINGS) {
            if (Arrays.equals(src, start, end, spelling, 0, spelling.length)) {
                return true;
            }
        }
        return false;
    }

    /** A cell as a message quotes it: on one line, and cut short if long. */
    private static String quoted(byte[] src, int start, int end) {
        String value = new String(src, start, Math.min(end - start, 4 * QUOTED_VALUE_CHARS), StandardCharsets.UTF_8);
        if (value.length() > QUOTED_VALUE_CHARS) {
            value = value.substring(0, QUOTED_VALUE_CHARS) + "…";
        }
        return value.replace("\r", "\\r").replace("\n", "\\n");
    }

    private void ensureCapacity(int needed) {
        for (int s = 0; s < doubles.length; s++) {
            if (doubles[s] != null && doubles[s].length < needed * Double.BYTES) {
                doubles[s] = Arrays.copyOf(doubles[s], 2 * doubles[s].length);
            } else if (offsets[s] != null && offsets[s].length < needed + 1) {
                offsets[s] = Arrays.copyOf(offsets[s], 2 * offsets[s].length);
            }
        }
    }

    /** The cell of slot {@code slot} (TEXT or BYTES) in row {@code row}. */
    byte[] cell(int slot, int row) {
        return Arrays.copyOfRange(text[slot], offsets[slot][row], offsets[slot][row + 1]);
    }

    /** UTF-8 validation without decoding (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
    static final class Utf8 {
        private Utf8() {
        }

        static boolean isValid(byte[] b, int from, int to) {
            int i = from;
            while (i < to && b[i] >= 0) {
                i++;
            }
            while (i < to) {
                int c = b[i] & 0xff;
                if (c < 0x80) {
                    i++;
                    continue;
                }
                int need;
                int min;
                if (c >= 0xc2 && c <= 0xdf) {
                    need = 1;
                    min = 0x80;
                } else if (c >= 0xe0 && c <= 0xef) {
                    need = 2;
                    min = 0x800;
                } else if (c >= 0xf0 && c <= 0xf4) {
                    need = 3;
                    min = 0x10000;
                } else {
                    return false;
                }
                if (i + need >= to) {
                    return false;
                }
                int code = c & (0x3f >> need);
                for (int k = 1; k <= need; k++) {
                    int next = b[i + k] & 0xff;
                    if ((next & 0xc0) != 0x80) {
                        return false;
                    }
                    code = code << 6 | next & 0x3f;
                }
                if (code < min || code > 0x10ffff || code >= 0xd800 && code <= 0xdfff) {
                    return false;
                }
                i += need + 1;
            }
            return true;
        }
    }
}
