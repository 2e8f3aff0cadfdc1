package dev.segmenta.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.CRC32;

import dev.segmenta.io.ThriftCompactReader.Malformed;

/**
 * Verifies the page checksums of a Parquet file's column chunks before any is decoded, with one
 * message for every decoder (Arrow's native reader, used before, checked none): a page whose bytes
 * changed since it was written would otherwise be decoded into wrong values without a word (a
 * flipped byte turned 0.057 into 1.9e37).
 *
 * <p>The optional {@code crc} of a page header is the CRC-32 of the page's bytes as stored
 * (compressed), after its header. Each chunk read is walked from page header to page header, and
 * a page that carries a checksum is read once more here, in blocks of {@value #BLOCK_BYTES} bytes
 * (no allocation the file could inflate); pages without one cost a read of their header. The walk
 * is lenient: a header it cannot make sense of ends the walk of that chunk, and the decoder, which
 * reads the same bytes next, reports what is wrong with it; only a checksum that is present
 * and does not match fails here, and a page header claiming more values than can be true.
 *
 * <p>Those claims are checked because Hardwood sizes its arrays by them before it reads the page: a
 * dictionary page declaring 10^9 entries in 12 bytes made it allocate 4 GB and fail for want of heap,
 * where a bigger heap would have let it take that much. A dictionary entry takes at least one bit of
 * the page's decompressed bytes, and no data page holds more values than its column chunk declares.
 */
final class ParquetPageChecksums {

    private static final int BLOCK_BYTES = 1 << 20;
    /** A first look at a page header: most are a few dozen bytes, more with statistics of long strings. */
    private static final int HEADER_BYTES = 4096;
    /** The largest page header this walk reads (Parquet's own readers stop near this size too). */
    private static final int MAX_HEADER_BYTES = 16 << 20;

    private ParquetPageChecksums() {
    }

    /**
     * Checks every page that has a checksum in the chunks of {@code columns}.
     *
     * @throws BadInputException naming the column, row group and page, at the first mismatch
     */
    static void verify(Path file, ParquetFooter footer, Set<String> columns) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_BYTES);
            CRC32 crc = new CRC32();
            for (int g = 0; g < footer.rowGroups().size(); g++) {
                ParquetFooter.RowGroup group = footer.rowGroups().get(g);
                if (group.rows() == 0) {
                    continue;
                }
                for (ParquetFooter.ColumnChunk chunk : group.columns()) {
                    if (columns.contains(chunk.column())) {
                        verifyChunk(file, channel, chunk, g, block, crc);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void verifyChunk(Path file, FileChannel channel, ParquetFooter.ColumnChunk chunk, int group,
                                    ByteBuffer block, CRC32 crc) throws IOException {
        long end = chunk.start() + chunk.compressedBytes();
        long position = chunk.start();
        while (position < end) {
            PageHeader header = readHeader(channel, position, end);
            if (header == null) {
                return;
            }
            long pageStart = position + header.bytes();
            if (header.crc() != null && crc(channel, pageStart, header.compressedBytes(), block, crc) != header.crc()) {
                throw new BadInputException(file + ": column '" + chunk.column() + "', row group " + group
                        + ": checksum mismatch in the page at byte " + position
                        + "; the file is corrupt (changed since it was written), re-export it");
            }
            checkValues(file, chunk, group, position, header);
            position = pageStart + header.compressedBytes();
        }
    }

    private static void checkValues(Path file, ParquetFooter.ColumnChunk chunk, int group, long position,
                                    PageHeader header) {
        boolean dictionary = header.type() == DICTIONARY_PAGE;
        boolean tooMany = dictionary ? header.values() > 8L * Math.max(header.uncompressedBytes(), 0)
                : header.values() > chunk.values();
        if (tooMany) {
            throw new BadInputException(file + ": not a readable Parquet file (column '" + chunk.column() + "', row group "
                    + group + ": the " + (dictionary ? "dictionary" : "data") + " page at byte " + position + " declares "
                    + header.values() + " values in " + header.uncompressedBytes() + " bytes"
                    + (dictionary ? "" : ", more than its column chunk's " + chunk.values())
                    + "); it may be truncated or corrupt, re-export it");
        }
    }

    /**
     * What a page header says: its own size, its page's type, stored and decompressed sizes, its values
     * (0 where the header does not say) and, when written, the page's checksum.
     */
    private record PageHeader(int bytes, int type, long compressedBytes, long uncompressedBytes, long values,
                              Integer crc) { }

    private static final int DICTIONARY_PAGE = 2;

    /** The page header at {@code position}, or {@code null} where none can be read that fits before {@code end}. */
    private static PageHeader readHeader(FileChannel channel, long position, long end) throws IOException {
        for (long window = HEADER_BYTES; ; window *= 4) {
            int length = (int) Math.min(Math.min(window, MAX_HEADER_BYTES), end - position);
            try {
                ThriftCompactReader in = new ThriftCompactReader(InputFiles.read(channel, position, length));
                PageHeader header = parse(in);
                boolean fits = header.compressedBytes() >= 0 && header.compressedBytes() <= end - position - header.bytes();
                return fits ? header : null;
            } catch (Malformed e) {
                // A header longer than the bytes looked at fails as one cut short: look at more, as far
                // as the chunk or the cap allows.
                if (length == end - position || length == MAX_HEADER_BYTES) {
                    return null;
                }
            }
        }
    }

    /**
     * Parquet's PageHeader: 1 type, 2 uncompressed_page_size, 3 compressed_page_size, 4 crc, and
     * num_values (field 1) of its data (5), dictionary (7) or data v2 (8) page header; the rest is skipped.
     */
    private static PageHeader parse(ThriftCompactReader in) {
        int pageType = -1;
        long uncompressed = -1;
        long compressed = -1;
        long values = 0;
        Integer crc = null;
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            switch (in.fieldId()) {
                case 1 -> pageType = (int) in.readI64();
                case 2 -> uncompressed = in.readI64();
                case 3 -> compressed = in.readI64();
                case 4 -> crc = (int) in.readI64();
                case 5, 7, 8 -> values = type == ThriftCompactReader.STRUCT ? numValues(in) : skip(in, type);
                default -> in.skip(type);
            }
        }
        return new PageHeader(in.position(), pageType, compressed, uncompressed, values, crc);
    }

    /** Field 1 (num_values) of a data or dictionary page header. */
    private static long numValues(ThriftCompactReader in) {
        long values = 0;
        in.beginStruct();
        for (int type = in.nextField(); type != ThriftCompactReader.STOP; type = in.nextField()) {
            if (in.fieldId() == 1) {
                values = in.readI64();
            } else {
                in.skip(type);
            }
        }
        return values;
    }

    private static long skip(ThriftCompactReader in, int type) {
        in.skip(type);
        return 0;
    }

    /** The CRC-32 of {@code length} bytes of the file from {@code position}. */
    private static int crc(FileChannel channel, long position, long length, ByteBuffer block, CRC32 crc)
            throws IOException {
        crc.reset();
        long done = 0;
        while (done < length) {
            block.clear().limit((int) Math.min(block.capacity(), length - done));
            int n = channel.read(block, position + done);
            if (n < 0) {
                break;
            }
            crc.update(block.flip());
            done += n;
        }
        return (int) crc.getValue();
    }
}
