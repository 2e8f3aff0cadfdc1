package dev.segmenta.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads Arrow IPC in either layout, told apart by the magic bytes rather than the extension (the
 * file format starts and ends with "ARROW1"; the stream format has no magic and ends with an
 * end-of-stream marker). Pure Java: record batches are read one at a time from the channel.
 */
final class ArrowIpcSource extends ArrowTable {

    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    private ArrowIpcSource(Path file, ArrowReader reader, FileChannel channel, BufferAllocator allocator) {
        super(file, reader, List.of(channel, allocator));
    }

    /** Reads every column: Arrow IPC batches are read whole, so a projection would save no decoding. */
    static <C> Opened<C> open(Path file, ColumnRequest<C> request) {
        BufferAllocator allocator = Arrow.allocator().newChildAllocator("arrow ipc " + file, 0, Long.MAX_VALUE);
        FileChannel channel = null;
        ArrowReader reader = null;
        try {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot be opened (" + e + "); check the path and its permissions", e);
            }
            reader = openReader(file, channel, allocator);
            Schema schema;
            try {
                schema = reader.getVectorSchemaRoot().getSchema();
            } catch (IOException | RuntimeException e) {
                throw corrupt(file, e);
            }
            C columns = request.resolve(file, schema);
            return new Opened<>(new ArrowIpcSource(file, reader, channel, allocator), columns);
        } catch (RuntimeException e) {
            closeAfterFailure(e, reader, channel, allocator);
            throw e;
        }
    }

    /**
     * Checks both ends of the file before handing it to Arrow, whose readers would otherwise take a
     * stream cut at a message boundary for a complete one.
     */
    private static ArrowReader openReader(Path file, FileChannel channel, BufferAllocator allocator) {
        try {
            long size = channel.size();
            if (size == 0) {
                throw new BadInputException(file + ": is empty (0 bytes); give an Arrow IPC file with data");
            }
            byte[] head = read(channel, 0, (int) Math.min(MAGIC.length, size));
            if (Arrays.equals(head, MAGIC)) {
                byte[] tail = read(channel, Math.max(0, size - MAGIC.length), MAGIC.length);
                if (size < 2L * MAGIC.length || !Arrays.equals(tail, MAGIC)) {
                    throw corrupt(file, "the Arrow file footer is missing");
                }
                return new ArrowFileReader(channel, allocator);
            }
            // A stream ends with the end-of-stream marker 0xFFFFFFFF 0x00000000 (or, before Arrow
            // 0.15, 0x00000000): either way with four zero bytes.
            byte[] tail = read(channel, Math.max(0, size - 4), 4);
            if (size < 8 || !Arrays.equals(tail, new byte[4])) {
                throw corrupt(file, "the Arrow stream has no end-of-stream marker");
            }
            channel.position(0);
            return new ArrowStreamReader(channel, allocator);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read (" + e + "); check the file and its permissions", e);
        }
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // keep reading: a positional read may return fewer bytes than asked
        }
        return buffer.array();
    }

    @Override
    BadInputException decodeFailure(Exception failure) {
        return corrupt(file(), failure);
    }

    private static BadInputException corrupt(Path file, Exception e) {
        BadInputException error = corrupt(file, String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
        error.initCause(e);
        return error;
    }

    private static BadInputException corrupt(Path file, String reason) {
        return new BadInputException(file + ": not a readable Arrow IPC file (" + reason
                + "); it may be truncated or corrupt, re-export it");
    }
}
