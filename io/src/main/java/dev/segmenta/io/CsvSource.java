package dev.segmenta.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.arrow.c.ArrowSchema;
import org.apache.arrow.c.Data;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.scanner.FragmentScanOptions;
import org.apache.arrow.dataset.scanner.csv.CsvConvertOptions;
import org.apache.arrow.dataset.scanner.csv.CsvFragmentScanOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads comma-separated text with a header row (optionally gzip-compressed) through Arrow's native
 * CSV scanner, one 1 MiB block at a time.
 *
 * <p>Arrow infers each column's type from the first block only, which fails two ways on customer
 * exports: an integer-looking column with a decimal further down stops the scan, and a numeric
 * column with one bad cell in the first block becomes a string column. So every feature column is
 * read as float64 whatever was inferred, and a string column counts as a feature column with a bad
 * cell when it is named as a feature, or (by default) when at least half of its values in the first 1024 rows
 * are numbers, or numbers written with thousands separators or a decimal comma. A bad cell
 * then fails the scan with Arrow's row number and value, which is reported as is.
 *
 * <p>Ids are read as text, exactly as written ({@link ColumnRequest#csvText()}).
 */
final class CsvSource extends ArrowTable {

    private static final int SAMPLE_BYTES = 1 << 20;
    /** Arrow's CSV block size: the longest line it can read (a line may not straddle two blocks). */
    private static final int BLOCK_BYTES = 1 << 20;
    /** Arrow's row numbers count the header as row 1; ours count data rows from 1. */
    private static final Pattern CONVERSION_ERROR = Pattern.compile("In CSV column #(\\d+): Row #(\\d+): (.*)");
    /** Arrow's report of a line with too few or too many cells (its rows count the header). */
    private static final Pattern SHORT_ROW = Pattern.compile("Row #(\\d+): Expected (\\d+) columns, got (\\d+)");
    private static final Pattern BAD_VALUE = Pattern.compile("invalid value '(.*)'$");
    private static final Pattern DUPLICATE_COLUMN = Pattern.compile("multiple columns named (.*)$");
    private static final Pattern NUMBER = Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");
    /**
     * A number as a spreadsheet in another locale writes it, which Arrow does not read: with thousands
     * separators ({@code 1,234}, {@code 1.234,5}, {@code 1'234}) or a decimal comma ({@code 2,5}).
     */
    private static final Pattern LOCALE_NUMBER = Pattern.compile(
            "\\s*[+-]?(\\d{1,3}([,.' ]\\d{3})+([.,]\\d+)?|\\d+,\\d+)\\s*");
    /** Arrow's default CSV null spellings: a column of numbers with these in it is still numeric. */
    private static final Set<String> NULL_SPELLINGS = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN",
            "-NaN", "-nan", "1.#IND", "1.#QNAN", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null");

    /** The file's columns as inferred, to name the column of a conversion error by its position. */
    private final Schema fileSchema;

    private CsvSource(Path file, Schema fileSchema, DatasetScan scan, BufferAllocator allocator) {
        super(file, scan.reader(), List.of(scan, allocator));
        this.fileSchema = fileSchema;
    }

    static <C> Opened<C> open(Path file, ColumnRequest<C> request, int batchRows) {
        BufferAllocator allocator = Arrow.allocator().newChildAllocator("csv " + file, 0, Long.MAX_VALUE);
        DatasetScan scan = null;
        try {
            Schema inferred;
            try {
                inferred = DatasetScan.inspect(allocator, file, FileFormat.CSV, Optional.empty());
            } catch (RuntimeException e) {
                throw unreadable(file, e);
            }
            if (inferred.getFields().size() == 1) {
                checkCommaSeparated(file, inferred.getFields().getFirst().getName());
            }
            // Binary: what Arrow infers for a column with bytes that are not UTF-8 (one Latin-1 'é').
            List<String> text = inferred.getFields().stream()
                    .filter(f -> f.getType() instanceof ArrowType.Utf8 || f.getType() instanceof ArrowType.Binary)
                    .map(Field::getName)
                    .toList();
            Set<String> textAsNumbers = request.csvTextReadAsNumbers(text,
                    candidates -> mostlyNumeric(allocator, file, candidates));
            Set<String> asText = request.csvText();
            Schema schema = new Schema(inferred.getFields().stream()
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
            try (ArrowSchema types = ArrowSchema.allocateNew(allocator)) {
                scan = DatasetScan.open(allocator, file, FileFormat.CSV,
                        Optional.of(convertedTo(allocator, columnTypes, types)), projection, batchRows);
            } catch (BadInputException e) {
                throw e;
            } catch (RuntimeException e) {
                // The scan decodes its first block eagerly, so a bad cell there fails here.
                throw translate(file, inferred, e);
            }
            return new Opened<>(new CsvSource(file, inferred, scan, allocator), columns);
        } catch (RuntimeException e) {
            closeAfterFailure(e, scan, allocator);
            throw e;
        }
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

    @Override
    BadInputException decodeFailure(Exception failure) {
        return translate(file(), fileSchema, failure);
    }

    /** A bad cell gets its row, column and value; anything else is reported as an unreadable file. */
    private static BadInputException translate(Path file, Schema fileSchema, Exception failure) {
        Matcher m = CONVERSION_ERROR.matcher(String.valueOf(failure.getMessage()));
        if (!m.find()) {
            return unreadable(file, failure);
        }
        int column = Integer.parseInt(m.group(1));
        long row = Long.parseLong(m.group(2)) - 1;
        String name = column < fileSchema.getFields().size() ? fileSchema.getFields().get(column).getName() : "#" + column;
        return new BadInputException(file + ": row " + row + ", column '" + name + "': " + m.group(3)
                + fixFor(m.group(3)), failure);
    }

    /** What to do about a cell Arrow could not convert, from its report ("... invalid value '1,234'"). */
    private static String fixFor(String conversionError) {
        if (conversionError.contains("invalid UTF8")) {
            return "; the file is not UTF-8 text (it may be Latin-1 or Windows-1252): re-save it as UTF-8";
        }
        Matcher value = BAD_VALUE.matcher(conversionError);
        if (value.find() && LOCALE_NUMBER.matcher(value.group(1)).matches()) {
            return "; write numbers without thousands separators and with '.' as the decimal point (1234.5),"
                    + " or remove the row";
        }
        return "; make the value a number or remove the row";
    }

    /**
     * Those of {@code candidates} at least half of whose non-null values in the first 1024 rows are numbers, or
     * numbers as another locale writes them ({@link #LOCALE_NUMBER}): a numeric column with some bad
     * cells, which is read as numbers so that its first bad cell is reported with its row. A column of
     * words with the odd number in it stays text.
     */
    private static Set<String> mostlyNumeric(BufferAllocator allocator, Path file, List<String> candidates) {
        Set<String> numeric = new HashSet<>();
        if (candidates.isEmpty()) {
            return numeric;
        }
        try (DatasetScan peek = DatasetScan.open(allocator, file, FileFormat.CSV, Optional.empty(), candidates, 1024);
             ArrowReader reader = peek.reader()) {
            if (reader.loadNextBatch()) {
                for (String name : candidates) {
                    if (mostlyNumbers((BaseVariableWidthVector) reader.getVectorSchemaRoot().getVector(name))) {
                        numeric.add(name);
                    }
                }
            }
        } catch (Exception e) {
            throw unreadable(file, e);
        }
        return numeric;
    }

    private static boolean mostlyNumbers(BaseVariableWidthVector vector) {
        int values = 0;
        int numbers = 0;
        for (int i = 0; i < vector.getValueCount(); i++) {
            if (!vector.isNull(i)) {
                String value = new String(vector.get(i), StandardCharsets.UTF_8);
                if (!NULL_SPELLINGS.contains(value)) {
                    values++;
                    numbers += NUMBER.matcher(value).matches() || LOCALE_NUMBER.matcher(value).matches() ? 1 : 0;
                }
            }
        }
        return numbers > 0 && 2 * numbers >= values;
    }

    private static FragmentScanOptions convertedTo(BufferAllocator allocator, Map<String, ArrowType> columnTypes,
                                                   ArrowSchema types) {
        List<Field> fields = new ArrayList<>();
        columnTypes.forEach((name, type) -> fields.add(new Field(name, FieldType.nullable(type), null)));
        Data.exportSchema(allocator, new Schema(fields), null, types);
        CsvConvertOptions convert = new CsvConvertOptions(Map.of());
        convert.setArrowSchema(types);
        return new CsvFragmentScanOptions(convert, Map.of(), Map.of());
    }

    private static Field retyped(Field field, ArrowType type) {
        return new Field(field.getName(), new FieldType(true, type, null), null);
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

    /** Whether the (decompressed) start of {@code file} holds anything but white space. */
    private static boolean hasText(Path file) {
        return !startText(file).isBlank();
    }

    /** The first megabyte of {@code file} (decompressed), for a second look after Arrow failed; "" if unreadable. */
    private static String startText(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = TableFormat.of(file).orElseThrow() == TableFormat.CSV_GZIP ? new GZIPInputStream(raw) : raw) {
            return new String(in.readNBytes(SAMPLE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static BadInputException unreadable(Path file, Exception e) {
        String reason = DatasetScan.nativeReason(e);
        Matcher duplicate = DUPLICATE_COLUMN.matcher(reason);
        if (duplicate.find()) {
            return new BadInputException(file + ": column name '" + duplicate.group(1)
                    + "' appears more than once; rename the duplicates", e);
        }
        if (reason.contains("Empty CSV file")) {
            // Arrow says so of a header without a line break after it, too.
            return hasText(file)
                    ? new BadInputException(file + ": has no data rows; give a file with at least one row", e)
                    : new BadInputException(file + ": is empty (no header, no rows); give a CSV file with a header row and data", e);
        }
        if (reason.contains("straddling object straddles two block boundaries")) {
            return new BadInputException(file + ": has a line longer than " + (BLOCK_BYTES >> 20) + " MiB (a long cell, or a quote"
                    + " '\"' that is never closed), more than the CSV reader takes; shorten or leave out the long cells,"
                    + " close the quote, or convert the file to Parquet", e);
        }
        Matcher shortRow = SHORT_ROW.matcher(reason);
        if (shortRow.find() && shortRow.group(2).equals("1")) {
            checkCommaSeparated(file, startText(file).lines().findFirst().orElse(""));
        }
        if (shortRow.find(0)) {
            long row = Long.parseLong(shortRow.group(1)) - 1;
            return new BadInputException(file + ": row " + row + " has " + shortRow.group(3) + " values but the header has "
                    + shortRow.group(2) + " columns; the file may be truncated or a line broken, re-export it", e);
        }
        return new BadInputException(file + ": not a readable CSV file (" + reason
                + "); it may be truncated or corrupt, re-export it as comma-separated text with a header row", e);
    }
}
