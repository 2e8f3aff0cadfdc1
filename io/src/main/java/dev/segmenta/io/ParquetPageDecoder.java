package dev.segmenta.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.BitSet;

import org.xerial.snappy.Snappy;

import com.github.luben.zstd.Zstd;

/**
 * Decodes the pages of one flat numeric column chunk (FLOAT, DOUBLE, INT32, INT64; PLAIN or
 * dictionary-encoded; uncompressed, snappy or zstd; data pages v1 and v2) from the mapped file
 * straight into a row group's float or long column: the common case, which Hardwood took about
 * 1 s to warm up to on every start (docs/benchmarks.md, "Reading Parquet"). A PLAIN page of floats
 * is one bulk copy from the mapping; anything else a file may hold goes to Hardwood
 * ({@link ParquetScan}), chosen per file by {@link ParquetFeatureSource}.
 *
 * <p>Trusts nothing it reads: every offset is bounds-checked by the mapping, a dictionary index by
 * its dictionary, and the values of each page against the rows of the row group;
 * {@link ParquetPageChecksums} has checked the pages' checksums and value counts before.
 */
final class ParquetPageDecoder {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int DATA_PAGE = 0;
    private static final int INDEX_PAGE = 1;
    private static final int DICTIONARY_PAGE = 2;
    private static final int DATA_PAGE_V2 = 3;
    private static final int PLAIN = 0;
    private static final int PLAIN_DICTIONARY = 2;
    private static final int RLE_DICTIONARY = 8;
    static final int UNCOMPRESSED = 0;
    static final int SNAPPY = 1;
    static final int ZSTD = 6;
    private static final int HEADER_BYTES = 64 << 10;

    /** A page's bytes that do not decode: the file is corrupt. */
    static final class Corrupt extends RuntimeException {
        Corrupt(String message) {
            super(message);
        }
    }

    /** How a column's stored values become its target's: the physical width and conversion. */
    record Column(String name, ParquetScan.Kind kind, boolean optional, int codec) {
        int width() {
            return kind == ParquetScan.Kind.FLOAT || kind == ParquetScan.Kind.INT || kind == ParquetScan.Kind.UINT32 ? 4 : 8;
        }
    }

    /**
     * Where a chunk's values go: {@code floats} (a feature) or {@code longs} (the id), rows
     * {@code [0, rows)} of its row group; {@code nulls} gets the null rows; a finite double beyond
     * float32 is remembered at its first row, for the message that names it.
     */
    static final class Target {
        final float[] floats;
        final long[] longs;
        final BitSet nulls = new BitSet();
        int narrowedRow = -1;
        double narrowedValue;

        Target(float[] floats, long[] longs) {
            this.floats = floats;
            this.longs = longs;
        }
    }

    /** Scratch of one decoding thread: a page's decompressed bytes, its levels and dictionary indices. */
    static final class Scratch {
        private ByteBuffer page = ByteBuffer.allocateDirect(1 << 20);
        private int[] ints = new int[1 << 16];
        private byte[] defined = new byte[1 << 16];
        private byte[] bytes = new byte[1 << 16];

        ByteBuffer page(int bytes) {
            if (page.capacity() < bytes) {
                page = ByteBuffer.allocateDirect(Math.max(bytes, page.capacity() * 2));
            }
            return page.clear().limit(bytes);
        }

        int[] ints(int n) {
            if (ints.length < n) {
                ints = new int[Math.max(n, ints.length * 2)];
            }
            return ints;
        }

        byte[] bytes(int n) {
            if (bytes.length < n) {
                bytes = new byte[Math.max(n, bytes.length * 2)];
            }
            return bytes;
        }

        byte[] defined(int n) {
            if (defined.length < n) {
                defined = new byte[Math.max(n, defined.length * 2)];
            }
            return defined;
        }
    }

    private ParquetPageDecoder() {
    }

    /**
     * Decodes the chunk at {@code [start, start + bytes)} of {@code file} into {@code target}, whose
     * row group holds {@code rows} rows; throws {@link Corrupt} where the pages do not hold them.
     */
    static void decode(MemorySegment file, long start, long bytes, Column column, int rows, Target target,
                       Scratch scratch) {
        long end = start + bytes;
        long position = start;
        float[] dictionary = null;
        double[] dictionaryDoubles = null;
        long[] dictionaryLongs = null;
        int row = 0;
        while (position < end) {
            ThriftCompactReader in = new ThriftCompactReader(file.asSlice(position, Math.min(HEADER_BYTES, end - position))
                    .asByteBuffer());
            PageHeader header = PageHeader.parse(in);
            long body = position + header.bytes();
            if (header.compressed() < 0 || header.compressed() > end - body || header.uncompressed() < 0) {
                throw new Corrupt("the page at byte " + position + " declares " + header.compressed()
                        + " bytes, beyond its column chunk");
            }
            MemorySegment stored = file.asSlice(body, header.compressed());
            position = body + header.compressed();
            switch (header.type()) {
                case DICTIONARY_PAGE -> {
                    MemorySegment values = decompress(stored, header.uncompressed(), column.codec(), scratch);
                    int n = header.values();
                    if (n < 0 || (long) n * column.width() > values.byteSize()) {
                        throw new Corrupt("the dictionary page at byte " + (body - header.bytes()) + " holds fewer than its "
                                + n + " values");
                    }
                    if (target.longs != null) {
                        dictionaryLongs = new long[n];
                        readLongs(values, 0, column, dictionaryLongs, 0, n);
                    } else {
                        dictionary = new float[n];
                        if (column.kind() == ParquetScan.Kind.DOUBLE) {
                            dictionaryDoubles = new double[n];
                            MemorySegment.copy(values, DOUBLE, 0, dictionaryDoubles, 0, n);
                        }
                        readFloats(values, 0, column, dictionary, 0, n, null, 0);
                    }
                }
                case DATA_PAGE, DATA_PAGE_V2 -> {
                    int n = header.values();
                    if (n < 0 || n > rows - row) {
                        throw new Corrupt("its footer declares " + rows + " rows but its pages hold more");
                    }
                    MemorySegment values;
                    byte[] defined = null;
                    int present = n;
                    if (header.type() == DATA_PAGE) {
                        values = decompress(stored, header.uncompressed(), column.codec(), scratch);
                        long at = 0;
                        if (column.optional()) {
                            long length = Integer.toUnsignedLong(values.get(INT, 0));
                            defined = scratch.defined(n);
                            present = levels(values.asSlice(4, length), defined, n, scratch);
                            at = 4 + length;
                        }
                        values = values.asSlice(at);
                    } else {
                        long levels = (long) header.repetitionBytes() + header.definitionBytes();
                        if (header.repetitionBytes() != 0 || levels > stored.byteSize()) {
                            throw new Corrupt("the page at byte " + (body - header.bytes()) + " has levels it cannot have");
                        }
                        if (column.optional()) {
                            defined = scratch.defined(n);
                            present = levels(stored.asSlice(0, header.definitionBytes()), defined, n, scratch);
                        }
                        MemorySegment rest = stored.asSlice(levels);
                        values = header.valuesCompressed()
                                ? decompress(rest, (int) (header.uncompressed() - levels), column.codec(), scratch) : rest;
                    }
                    int encoding = header.encoding();
                    if (encoding == PLAIN) {
                        if ((long) present * column.width() > values.byteSize()) {
                            throw new Corrupt("the page at byte " + (body - header.bytes()) + " holds fewer than its "
                                    + present + " values");
                        }
                        if (target.longs != null) {
                            readLongs(values, 0, column, target.longs, row, present);
                        } else {
                            readFloats(values, 0, column, target.floats, row, present, target, row);
                        }
                    } else if (encoding == RLE_DICTIONARY || encoding == PLAIN_DICTIONARY) {
                        if (target.longs != null ? dictionaryLongs == null : dictionary == null) {
                            throw new Corrupt("a dictionary-encoded page comes before its dictionary");
                        }
                        int[] indices = scratch.ints(present);
                        int bitWidth = values.byteSize() > 0 ? values.get(ValueLayout.JAVA_BYTE, 0) : 0;
                        hybrid(values, 1, bitWidth, indices, present, scratch);
                        if (target.longs != null) {
                            gather(indices, present, dictionaryLongs, target.longs, row);
                        } else {
                            gather(indices, present, dictionary, target.floats, row);
                            if (dictionaryDoubles != null) {
                                narrowed(indices, present, dictionary, dictionaryDoubles, target, row);
                            }
                        }
                    } else {
                        throw new Corrupt("encoding " + encoding + " was not declared for its column chunk");
                    }
                    if (defined != null) {
                        spread(target, defined, row, n, present);
                    }
                    row += n;
                }
                case INDEX_PAGE -> { }
                default -> throw new Corrupt("the page at byte " + (body - header.bytes()) + " is of unknown type "
                        + header.type());
            }
        }
        if (row != rows) {
            throw new Corrupt("its footer declares " + rows + " rows but its pages hold " + row);
        }
    }

    /**
     * The dictionary entries {@code indices} name, into {@code dst} from {@code offset}. Kept apart from
     * {@link #decode}: a loop in a small method is compiled within milliseconds, one in a large method
     * ran interpreted for seconds of a cold read.
     */
    private static void gather(int[] indices, int n, float[] dictionary, float[] dst, int offset) {
        for (int k = 0; k < n; k++) {
            int index = indices[k];
            if (Integer.compareUnsigned(index, dictionary.length) >= 0) {
                throw outside(index, dictionary.length);
            }
            dst[offset + k] = dictionary[index];
        }
    }

    private static void gather(int[] indices, int n, long[] dictionary, long[] dst, int offset) {
        for (int k = 0; k < n; k++) {
            int index = indices[k];
            if (Integer.compareUnsigned(index, dictionary.length) >= 0) {
                throw outside(index, dictionary.length);
            }
            dst[offset + k] = dictionary[index];
        }
    }

    private static Corrupt outside(int index, int entries) {
        return new Corrupt("dictionary index " + Integer.toUnsignedString(index) + " outside its " + entries + " entries");
    }

    private static void narrowed(int[] indices, int n, float[] dictionary, double[] doubles, Target target, int row) {
        for (int k = 0; k < n; k++) {
            if (Float.isInfinite(dictionary[indices[k]])) {
                narrowed(target, row + k, doubles[indices[k]]);
            }
        }
    }

    /** Remembers the first row whose finite double became an infinite float. */
    private static void narrowed(Target target, int row, double value) {
        if (Double.isFinite(value) && (target.narrowedRow < 0 || row < target.narrowedRow)) {
            target.narrowedRow = row;
            target.narrowedValue = value;
        }
    }

    private static void readFloats(MemorySegment values, long at, Column column, float[] dst, int offset, int n,
                                   Target narrowing, int firstRow) {
        switch (column.kind()) {
            case FLOAT -> MemorySegment.copy(values, FLOAT, at, dst, offset, n);
            case DOUBLE -> {
                for (int k = 0; k < n; k++) {
                    double value = values.get(DOUBLE, at + 8L * k);
                    float narrow = (float) value;
                    dst[offset + k] = narrow;
                    if (Float.isInfinite(narrow) && narrowing != null) {
                        narrowed(narrowing, firstRow + k, value);
                    }
                }
            }
            case INT -> {
                for (int k = 0; k < n; k++) {
                    dst[offset + k] = values.get(INT, at + 4L * k);
                }
            }
            case UINT32 -> {
                for (int k = 0; k < n; k++) {
                    dst[offset + k] = Integer.toUnsignedLong(values.get(INT, at + 4L * k));
                }
            }
            case LONG -> {
                for (int k = 0; k < n; k++) {
                    dst[offset + k] = values.get(LONG, at + 8L * k);
                }
            }
            case UINT64 -> {
                for (int k = 0; k < n; k++) {
                    dst[offset + k] = UnsignedLongs.toFloat(values.get(LONG, at + 8L * k));
                }
            }
            default -> throw new IllegalStateException("not a column for this decoder: " + column);
        }
    }

    private static void readLongs(MemorySegment values, long at, Column column, long[] dst, int offset, int n) {
        switch (column.kind()) {
            case LONG -> MemorySegment.copy(values, LONG, at, dst, offset, n);
            case INT -> {
                for (int k = 0; k < n; k++) {
                    dst[offset + k] = values.get(INT, at + 4L * k);
                }
            }
            case UINT32 -> {
                for (int k = 0; k < n; k++) {
                    dst[offset + k] = Integer.toUnsignedLong(values.get(INT, at + 4L * k));
                }
            }
            default -> throw new IllegalStateException("not an id column for this decoder: " + column);
        }
    }

    /**
     * The present values of a page with nulls came packed at its start: moves each to its row,
     * last first, and marks the others null.
     */
    private static void spread(Target target, byte[] defined, int row, int n, int present) {
        int from = row + present - 1;
        for (int k = n - 1; k >= 0; k--) {
            if (defined[k] != 0) {
                if (target.floats != null) {
                    target.floats[row + k] = target.floats[from];
                } else {
                    target.longs[row + k] = target.longs[from];
                }
                if (target.narrowedRow == from) {
                    target.narrowedRow = row + k;
                }
                from--;
            } else {
                target.nulls.set(row + k);
                if (target.floats != null) {
                    target.floats[row + k] = Float.NaN;
                }
            }
        }
    }

    /** Definition levels (bit width 1) of {@code n} values into {@code defined}; returns how many are present. */
    private static int levels(MemorySegment levels, byte[] defined, int n, Scratch scratch) {
        int[] values = new int[n];
        hybrid(levels, 0, 1, values, n, scratch);
        int present = 0;
        for (int k = 0; k < n; k++) {
            if (values[k] > 1) {
                throw new Corrupt("definition level " + values[k] + " in a column of one level");
            }
            defined[k] = (byte) values[k];
            present += values[k];
        }
        return present;
    }

    /**
     * Parquet's RLE / bit-packed hybrid: {@code n} values of {@code bitWidth} bits from byte
     * {@code at} of {@code segment}. The bytes are copied to the heap first, in one bulk copy: a
     * memory segment's accessors, which a cold JVM runs interpreted, made this loop take seconds.
     */
    static void hybrid(MemorySegment segment, long at, int bitWidth, int[] out, int n, Scratch scratch) {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new Corrupt("bit width " + bitWidth + " of a dictionary-encoded page");
        }
        int end = (int) Math.min(segment.byteSize() - at, Integer.MAX_VALUE - 16);
        byte[] bytes = scratch.bytes(end);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, bytes, 0, end);
        int position = 0;
        int filled = 0;
        int valueBytes = (bitWidth + 7) / 8;
        while (filled < n) {
            if (position >= end) {
                throw new Corrupt("a page ends after " + filled + " of its " + n + " values");
            }
            long header = 0;
            int shift = 0;
            byte b;
            do {
                if (position >= end || shift > 35) {
                    throw new Corrupt("a run header of a page is cut short");
                }
                b = bytes[position++];
                header |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            if ((header & 1) == 0) {
                if (position + valueBytes > end) {
                    throw new Corrupt("a page ends inside a run");
                }
                int value = 0;
                for (int i = 0; i < valueBytes; i++) {
                    value |= (bytes[position++] & 0xff) << (8 * i);
                }
                int count = (int) Math.min(header >>> 1, n - filled);
                Arrays.fill(out, filled, filled + count, value);
                filled += count;
            } else {
                long groups = header >>> 1;
                int count = (int) Math.min(groups * 8, n - filled);
                if (((long) count * bitWidth + 7) / 8 > end - position) {
                    throw new Corrupt("a page ends inside a run of " + count + " bit-packed values");
                }
                unpack(bytes, position, bitWidth, out, filled, count);
                filled += count;
                position += (int) Math.min(groups * bitWidth, end - position);
            }
        }
    }

    /** {@code count} values of {@code bitWidth} bits, packed from byte {@code position}, into {@code out} from {@code at}. */
    private static void unpack(byte[] bytes, int position, int bitWidth, int[] out, int at, int count) {
        long mask = (1L << bitWidth) - 1;
        long bits = 0;
        int held = 0;
        int next = position;
        for (int i = 0; i < count; i++) {
            while (held < bitWidth) {
                bits |= (long) (bytes[next++] & 0xff) << held;
                held += 8;
            }
            out[at + i] = (int) (bits & mask);
            bits >>>= bitWidth;
            held -= bitWidth;
        }
    }

    private static MemorySegment decompress(MemorySegment stored, int uncompressed, int codec, Scratch scratch) {
        if (codec == UNCOMPRESSED) {
            return stored;
        }
        ByteBuffer out = scratch.page(uncompressed);
        int size;
        try {
            size = switch (codec) {
                case SNAPPY -> Snappy.uncompress(stored.asByteBuffer(), out);
                case ZSTD -> Zstd.decompress(out, stored.asByteBuffer());
                default -> throw new IllegalStateException("codec " + codec + " was checked at open");
            };
        } catch (IOException | RuntimeException e) {
            throw new Corrupt("a page does not decompress (" + e.getMessage() + ")");
        }
        if (size != uncompressed) {
            throw new Corrupt("a page decompresses to " + size + " bytes, not the " + uncompressed + " its header declares");
        }
        // Snappy leaves the buffer's position at 0, zstd moves it past the output: the bytes are from 0 either way.
        return MemorySegment.ofBuffer(out.clear()).asSlice(0, size);
    }

    /** What this decoder needs of a PageHeader (Thrift fields as {@link ParquetPageChecksums} names them). */
    private record PageHeader(int bytes, int type, int uncompressed, int compressed, int values, int encoding,
                              int definitionBytes, int repetitionBytes, boolean valuesCompressed) {

        static PageHeader parse(ThriftCompactReader in) {
            int type = -1;
            int uncompressed = -1;
            int compressed = -1;
            int[] page = {0, PLAIN, 0, 0, 1};
            in.beginStruct();
            for (int field = in.nextField(); field != ThriftCompactReader.STOP; field = in.nextField()) {
                switch (in.fieldId()) {
                    case 1 -> type = (int) in.readI64();
                    case 2 -> uncompressed = (int) in.readI64();
                    case 3 -> compressed = (int) in.readI64();
                    case 5, 7 -> pageHeader(in, field, page, false);
                    case 8 -> pageHeader(in, field, page, true);
                    default -> in.skip(field);
                }
            }
            return new PageHeader(in.position(), type, uncompressed, compressed, page[0], page[1], page[2], page[3],
                    page[4] != 0);
        }

        /** num_values, encoding and, for v2, the levels' lengths and is_compressed into {@code page}. */
        private static void pageHeader(ThriftCompactReader in, int fieldType, int[] page, boolean v2) {
            if (fieldType != ThriftCompactReader.STRUCT) {
                in.skip(fieldType);
                return;
            }
            in.beginStruct();
            for (int field = in.nextField(); field != ThriftCompactReader.STOP; field = in.nextField()) {
                int id = in.fieldId();
                if (id == 1) {
                    page[0] = (int) in.readI64();
                } else if (!v2 && id == 2 || v2 && id == 4) {
                    page[1] = (int) in.readI64();
                } else if (v2 && id == 5) {
                    page[2] = (int) in.readI64();
                } else if (v2 && id == 6) {
                    page[3] = (int) in.readI64();
                } else if (v2 && id == 7) {
                    page[4] = field == ThriftCompactReader.BOOLEAN_TRUE ? 1 : 0;
                } else {
                    in.skip(field);
                }
            }
        }
    }
}
