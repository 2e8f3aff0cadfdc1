package dev.segmenta.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads comma-separated text with a header row (optionally gzip-compressed), in pure Java: the text
 * is cut into chunks of whole rows ({@link CsvChunks}) that every core parses ({@link CsvBlock}) into
 * the record batches of a {@link CsvReader}, handed out in file order.
 *
 * <p>Column types are inferred as Arrow's CSV reader inferred them, from the rows of the first
 * megabyte (int64, bool, date, time, timestamp, float64, utf8, binary; null for a column without
 * values), so that the default feature selection and its warnings are what they were. That inference
 * fails two ways on customer exports: an integer-looking column with a decimal further down, and a
 * numeric column with one bad cell in the first rows taken for text. So every feature column is read
 * as float64 whatever was inferred, and a text column counts as a feature column with a bad cell when
 * it is named as a feature, or (by default) when at least half of its values in the first 1024 rows
 * are numbers, or numbers written with thousands separators or a decimal comma. A bad cell then fails
 * the read with its row, column and value.
 *
 * <p>Ids are read as text, exactly as written ({@link ColumnRequest#csvText()}).
 */
final class CsvSource extends ArrowTable {

    /** The text types are inferred from, and the longest a first row may be before it is read in pieces. */
    private static final int SAMPLE_BYTES = 1 << 20;
    /** The rows whose values say whether a text column is mostly numbers. */
    private static final int SAMPLE_ROWS = 1024;
    private static final Pattern NUMBER = Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");
    /**
     * A number as a spreadsheet in another locale writes it, which the reader does not take: with thousands
     * separators ({@code 1,234}, {@code 1.234,5}, {@code 1'234}) or a decimal comma ({@code 2,5}).
     */
    private static final Pattern LOCALE_NUMBER = Pattern.compile(
            "\\s*[+-]?(\\d{1,3}([,.' ]\\d{3})+([.,]\\d+)?|\\d+,\\d+)\\s*");
    private static final ArrowType INT64 = new ArrowType.Int(64, true);

    private CsvSource(Path file, CsvReader reader, BufferAllocator allocator) {
        super(file, reader, List.of(allocator));
    }

    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int batchRows) {
        BufferAllocator allocator = Arrow.allocator().newChildAllocator("csv " + file, 0, Long.MAX_VALUE);
        CsvChunks chunks = null;
        try {
            CsvChunks.Chunk first;
            try {
                chunks = CsvChunks.open(file);
                first = chunks.next(SAMPLE_BYTES);
            } catch (IOException e) {
                throw unreadable(file, e);
            }
            Header header = Header.of(file, first);
            List<String> names = header.names();
            if (names.size() == 1) {
                checkCommaSeparated(file, names.getFirst());
            }
            checkUniqueNames(file, names);
            CsvChunks.Chunk rows = first.from(header.end());
            if (rows.from() == rows.to() && !rows.last()) {
                // The first read held the header and part of a longer row: the rows start with the next read.
                try {
                    CsvChunks.Chunk next = chunks.next(SAMPLE_BYTES);
                    rows = next == null ? new CsvChunks.Chunk(rows.bytes(), rows.to(), rows.to(), true) : next;
                } catch (IOException e) {
                    throw unreadable(file, e);
                }
            }
            CsvChunks.Chunk firstRows = rows;
            CsvBlock sample = sample(firstRows, names.size());
            List<Field> inferred = new ArrayList<>();
            List<String> text = new ArrayList<>();
            for (int c = 0; c < names.size(); c++) {
                ArrowType type = infer(sample, c);
                inferred.add(new Field(names.get(c), FieldType.nullable(type), null));
                // Binary: what a column with bytes that are not UTF-8 (one Latin-1 'é') is inferred as.
                if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.Binary) {
                    text.add(names.get(c));
                }
            }
            Set<String> textAsNumbers = request.csvTextReadAsNumbers(text,
                    candidates -> mostlyNumeric(sample, names, candidates));
            Set<String> asText = request.csvText();
            Schema schema = new Schema(inferred.stream()
                    .map(f -> textAsNumbers.contains(f.getName()) ? retyped(f, FeatureColumns.FLOAT64)
                            : asText.contains(f.getName()) ? retyped(f, ArrowType.Utf8.INSTANCE) : f)
                    .toList());
            C columns = request.resolve(file, schema);
            List<String> projection = request.projection(columns);
            Map<String, ArrowType> columnTypes = new HashMap<>(request.csvTypes(columns));
            for (String name : asText) {
                if (projection.contains(name)) {
                    columnTypes.put(name, ArrowType.Utf8.INSTANCE);
                }
            }
            int[] slots = new int[names.size()];
            Arrays.fill(slots, -1);
            CsvBlock.Kind[] kinds = new CsvBlock.Kind[projection.size()];
            List<Field> read = new ArrayList<>();
            for (int s = 0; s < projection.size(); s++) {
                String name = projection.get(s);
                int column = names.indexOf(name);
                ArrowType type = columnTypes.getOrDefault(name, inferred.get(column).getType());
                boolean number = type instanceof ArrowType.FloatingPoint || FeatureColumns.isNumeric(type);
                slots[column] = s;
                kinds[s] = number ? CsvBlock.Kind.DOUBLE : CsvBlock.Kind.TEXT;
                read.add(new Field(name, FieldType.nullable(number ? FeatureColumns.FLOAT64 : ArrowType.Utf8.INSTANCE), null));
            }
            CsvReader reader = new CsvReader(allocator, file, new Schema(read), names,
                    new CsvBlock.Layout(names.size(), slots, kinds), chunks, firstRows, batchRows);
            return new Opened<>(new CsvSource(file, reader, allocator), columns);
        } catch (RuntimeException e) {
            closeAfterFailure(e, chunks, allocator);
            throw e;
        }
    }

    /** The header row: the column names, and where the rows after it start. */
    private record Header(List<String> names, int end) {

        /** Skips a UTF-8 byte order mark and empty lines before the header, as Arrow did. */
        static Header of(Path file, CsvChunks.Chunk first) {
            if (first == null) {
                throw emptyFile(file);
            }
            byte[] b = first.bytes();
            int p = first.from();
            int to = first.to();
            if (to - p >= 3 && (b[p] & 0xff) == 0xef && (b[p + 1] & 0xff) == 0xbb && (b[p + 2] & 0xff) == 0xbf) {
                p += 3;
            }
            while (p < to && (b[p] == '\n' || b[p] == '\r')) {
                p++;
            }
            if (p == to) {
                throw emptyFile(file);
            }
            List<String> names = new ArrayList<>();
            while (true) {
                int end;
                String name;
                if (b[p] == '"') {
                    StringBuilder quoted = new StringBuilder();
                    int q = p + 1;
                    int start = q;
                    while (true) {
                        if (q >= to) {
                            throw new BadInputException(file + ": its header opens a quote '\"' that is never closed;"
                                    + " close the quote, or remove it");
                        }
                        if (b[q] == '"') {
                            quoted.append(new String(b, start, q - start, StandardCharsets.UTF_8));
                            if (q + 1 < to && b[q + 1] == '"') {
                                quoted.append('"');
                                q += 2;
                                start = q;
                                continue;
                            }
                            break;
                        }
                        q++;
                    }
                    end = q + 1;
                    while (end < to && b[end] != ',' && b[end] != '\n' && b[end] != '\r') {
                        end++;
                    }
                    name = quoted + new String(b, q + 1, end - q - 1, StandardCharsets.UTF_8);
                } else {
                    end = p;
                    while (end < to && b[end] != ',' && b[end] != '\n' && b[end] != '\r') {
                        end++;
                    }
                    name = new String(b, p, end - p, StandardCharsets.UTF_8);
                }
                names.add(name);
                p = end;
                if (p < to && b[p] == ',') {
                    p++;
                    continue;
                }
                if (p < to) {
                    p += b[p] == '\r' && p + 1 < to && b[p + 1] == '\n' ? 2 : 1;
                }
                return new Header(List.copyOf(names), p);
            }
        }
    }

    private static BadInputException emptyFile(Path file) {
        return new BadInputException(file + ": is empty (no header, no rows); give a CSV file with a header row and data");
    }

    private static void checkUniqueNames(Path file, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new BadInputException(file + ": column name '" + name + "' appears more than once; rename the duplicates");
            }
        }
    }

    /** Every cell of the rows of the first chunk, as bytes: up to the first bad row, which the read reports. */
    private static CsvBlock sample(CsvChunks.Chunk rows, int width) {
        int[] slots = new int[width];
        CsvBlock.Kind[] kinds = new CsvBlock.Kind[width];
        for (int c = 0; c < width; c++) {
            slots[c] = c;
            kinds[c] = CsvBlock.Kind.BYTES;
        }
        return CsvBlock.parse(rows, new CsvBlock.Layout(width, slots, kinds), Integer.MAX_VALUE);
    }

    /**
     * The type Arrow's CSV reader inferred for column {@code c} of the sample: the first of null, int64,
     * bool, date, time, timestamp (seconds, then nanoseconds; without a zone, then with one), float64,
     * utf8 and binary that every value converts to, nulls (Arrow's null spellings) left aside.
     */
    private static ArrowType infer(CsvBlock sample, int c) {
        boolean values = false;
        boolean integer = true;
        boolean bool = true;
        boolean date = true;
        boolean time = true;
        boolean seconds = true;
        boolean nanos = true;
        boolean zonedSeconds = true;
        boolean zonedNanos = true;
        boolean real = true;
        boolean utf8 = true;
        byte[] bytes = sample.text[c];
        int[] offsets = sample.offsets[c];
        for (int r = 0; r < sample.rows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            if (from == to || CsvBlock.isNullSpelling(bytes, from, to)) {
                continue;
            }
            values = true;
            // Each test only while its type is still possible: after a row or two most columns have one left.
            integer = integer && CsvNumbers.parseLong(bytes, from, to) != CsvNumbers.INVALID_LONG;
            bool = bool && isBool(bytes, from, to);
            if (date || time || seconds || nanos || zonedSeconds || zonedNanos) {
                int form = IsoForm.of(bytes, from, to);
                date &= form == IsoForm.DATE;
                time &= form == IsoForm.TIME;
                boolean stamp = form != IsoForm.INVALID && form != IsoForm.TIME;
                boolean zoned = (form & IsoForm.ZONE) != 0;
                boolean fraction = (form & IsoForm.FRACTION) != 0;
                seconds &= stamp && !zoned && !fraction;
                nanos &= stamp && !zoned;
                zonedSeconds &= stamp && zoned && !fraction;
                zonedNanos &= stamp && zoned;
            }
            real = real && CsvNumbers.parseDouble(bytes, from, to) != CsvNumbers.INVALID_BITS;
            utf8 = utf8 && (real || CsvBlock.Utf8.isValid(bytes, from, to));
        }
        if (!values) {
            return ArrowType.Null.INSTANCE;
        }
        if (integer) {
            return INT64;
        }
        if (bool) {
            return ArrowType.Bool.INSTANCE;
        }
        if (date) {
            return new ArrowType.Date(DateUnit.DAY);
        }
        if (time) {
            return new ArrowType.Time(TimeUnit.SECOND, 32);
        }
        if (seconds || nanos) {
            return new ArrowType.Timestamp(seconds ? TimeUnit.SECOND : TimeUnit.NANOSECOND, null);
        }
        if (zonedSeconds || zonedNanos) {
            return new ArrowType.Timestamp(zonedSeconds ? TimeUnit.SECOND : TimeUnit.NANOSECOND, "UTC");
        }
        if (real) {
            return FeatureColumns.FLOAT64;
        }
        return utf8 ? ArrowType.Utf8.INSTANCE : ArrowType.Binary.INSTANCE;
    }

    private static final byte[][] BOOLEANS = List.of("1", "True", "TRUE", "true", "0", "False", "FALSE", "false").stream()
            .map(s -> s.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private static boolean isBool(byte[] bytes, int from, int to) {
        for (byte[] word : BOOLEANS) {
            if (Arrays.equals(bytes, from, to, word, 0, word.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ISO-8601 forms Arrow's inference took for dates, times and timestamps: {@code 2024-03-31},
     * {@code 14:05[:09]}, {@code 2024-03-31[T ]14[:05[:09[.123456789]]]} with an optional zone
     * ({@code Z}, {@code +02}, {@code +0200}, {@code +02:00}).
     */
    private static final class IsoForm {
        static final int INVALID = -1;
        static final int DATE = 0;
        static final int STAMP = 1;
        static final int FRACTION = 2;
        static final int ZONE = 4;
        static final int TIME = 8;

        private IsoForm() {
        }

        static int of(byte[] b, int from, int to) {
            if (to - from >= 5 && b[from + 2] == ':') {
                int end = clock(b, from, to, false);
                return end == to ? TIME : INVALID;
            }
            if (to - from < 10 || !digits(b, from, 4) || b[from + 4] != '-' || !digits(b, from + 5, 2) || b[from + 7] != '-'
                    || !digits(b, from + 8, 2)) {
                return INVALID;
            }
            int month = number(b, from + 5, 2);
            int day = number(b, from + 8, 2);
            if (month < 1 || month > 12 || day < 1 || day > IsoTimestamps.daysInMonth(number(b, from, 4), month)) {
                return INVALID;
            }
            int p = from + 10;
            if (p == to) {
                return DATE;
            }
            int form = STAMP;
            if (b[p] == 'T' || b[p] == ' ') {
                int end = clock(b, p + 1, to, true);
                if (end < 0) {
                    return INVALID;
                }
                form |= end > p + 1 && hasFraction(b, p + 1, end) ? FRACTION : 0;
                p = end;
            }
            if (p == to) {
                return form;
            }
            if (b[p] == 'Z' && p + 1 == to) {
                return form | ZONE;
            }
            if ((b[p] == '+' || b[p] == '-') && (to - p == 3 && digits(b, p + 1, 2)
                    || to - p == 5 && digits(b, p + 1, 4)
                    || to - p == 6 && digits(b, p + 1, 2) && b[p + 3] == ':' && digits(b, p + 4, 2))) {
                return form | ZONE;
            }
            return INVALID;
        }

        /** The end of {@code hh[:mm[:ss[.fraction]]]} at {@code p} ({@code hh:mm} at least unless {@code hourAlone}), or -1. */
        private static int clock(byte[] b, int p, int to, boolean hourAlone) {
            if (to - p < 2 || !digits(b, p, 2) || number(b, p, 2) > 23) {
                return -1;
            }
            int end = p + 2;
            if (end + 3 > to || b[end] != ':') {
                return hourAlone ? end : -1;
            }
            if (!digits(b, end + 1, 2) || number(b, end + 1, 2) > 59) {
                return -1;
            }
            end += 3;
            if (end + 3 > to || b[end] != ':') {
                return end;
            }
            if (!digits(b, end + 1, 2) || number(b, end + 1, 2) > 60) {
                return -1;
            }
            end += 3;
            if (end < to && b[end] == '.') {
                int digitsEnd = end + 1;
                while (digitsEnd < to && CsvNumbers.isDigit(b[digitsEnd])) {
                    digitsEnd++;
                }
                if (digitsEnd == end + 1 || digitsEnd - end - 1 > 9) {
                    return -1;
                }
                end = digitsEnd;
            }
            return end;
        }

        private static boolean hasFraction(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == '.') {
                    return true;
                }
            }
            return false;
        }

        private static boolean digits(byte[] b, int p, int n) {
            for (int i = p; i < p + n; i++) {
                if (!CsvNumbers.isDigit(b[i])) {
                    return false;
                }
            }
            return true;
        }

        private static int number(byte[] b, int p, int n) {
            int value = 0;
            for (int i = p; i < p + n; i++) {
                value = value * 10 + b[i] - '0';
            }
            return value;
        }
    }

    /**
     * Those of {@code candidates} at least half of whose non-null values in the first 1024 rows are numbers, or
     * numbers as another locale writes them ({@link #LOCALE_NUMBER}): a numeric column with some bad
     * cells, which is read as numbers so that its first bad cell is reported with its row. A column of
     * words with the odd number in it stays text.
     */
    private static Set<String> mostlyNumeric(CsvBlock sample, List<String> names, List<String> candidates) {
        Set<String> numeric = new HashSet<>();
        for (String name : candidates) {
            int column = names.indexOf(name);
            int values = 0;
            int numbers = 0;
            for (int r = 0; r < Math.min(sample.rows, SAMPLE_ROWS); r++) {
                byte[] cell = sample.cell(column, r);
                if (cell.length > 0 && !CsvBlock.isNullSpelling(cell, 0, cell.length)) {
                    String value = new String(cell, StandardCharsets.UTF_8);
                    values++;
                    numbers += NUMBER.matcher(value).matches() || LOCALE_NUMBER.matcher(value).matches() ? 1 : 0;
                }
            }
            if (numbers > 0 && 2 * numbers >= values) {
                numeric.add(name);
            }
        }
        return numeric;
    }

    private static Field retyped(Field field, ArrowType type) {
        return new Field(field.getName(), new FieldType(true, type, null), null);
    }

    /** What to do about a cell that is not a number ("... invalid value '1,234'"). */
    static String fixFor(String value) {
        if (LOCALE_NUMBER.matcher(value).matches()) {
            return "; write numbers without thousands separators and with '.' as the decimal point (1234.5),"
                    + " or remove the row";
        }
        return "; make the value a number or remove the row";
    }

    /**
     * An estimate from the first megabyte: the file's (decompressed) size over the bytes per line
     * seen there; exact for a file that short. Lines broken inside quoted fields count double.
     */
    @Override
    OptionalLong rowCount() {
        long size;
        byte[] sample = new byte[SAMPLE_BYTES];
        int length;
        long consumed;
        try (CountingStream raw = new CountingStream(Files.newInputStream(file()));
             InputStream text = TableFormat.of(file()).orElseThrow() == TableFormat.CSV_GZIP ? new GZIPInputStream(raw) : raw) {
            size = Files.size(file());
            length = text.readNBytes(sample, 0, sample.length);
            consumed = raw.count;
        } catch (IOException e) {
            throw unreadable(file(), e);
        }
        long lines = 0;
        for (int i = 0; i < length; i++) {
            if (sample[i] == '\n') {
                lines++;
            }
        }
        if (length < sample.length) {
            boolean unterminated = length > 0 && sample[length - 1] != '\n';
            return OptionalLong.of(Math.max(0, lines + (unterminated ? 1 : 0) - 1));
        }
        double totalBytes = (double) size * length / Math.max(1, consumed);
        return OptionalLong.of(Math.max(1, (long) (totalBytes * lines / length) - 1));
    }

    /** Counts the compressed bytes a {@link GZIPInputStream} has taken, for the compression ratio. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(0, n);
            return n;
        }
    }

    /**
     * No: {@link CsvReader} builds each batch's buffers itself, at the sizes of the cells it parsed and
     * checked (Arrow's check of text columns made a String per value to have a message ready).
     */
    @Override
    boolean checksLayout() {
        return false;
    }

    /** A failure to read the text itself (a truncated or corrupt .csv.gz); bad rows are reported by {@link CsvReader}. */
    @Override
    BadInputException decodeFailure(Exception failure) {
        return unreadable(file(), failure);
    }

    /**
     * A file separated by semicolons (as spreadsheets write CSV where the comma is the decimal point)
     * or tabs reads as one column named by the whole header, or fails at the first decimal comma as a
     * row with too many cells: named here for what it is.
     */
    private static void checkCommaSeparated(Path file, String header) {
        for (String separator : List.of(";", "\t")) {
            if (header.contains(separator)) {
                throw new BadInputException(file + ": its cells are separated by '" + separator.replace("\t", "\\t")
                        + "', not commas; Segmenta reads comma-separated CSV: re-export it with ',' between the cells"
                        + " and '.' as the decimal point");
            }
        }
    }

    private static BadInputException unreadable(Path file, Exception e) {
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
        return new BadInputException(file + ": not a readable CSV file (" + reason
                + "); it may be truncated or corrupt, re-export it as comma-separated text with a header row", e);
    }
}
