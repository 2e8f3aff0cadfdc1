package dev.segmenta.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads Arrow IPC in either layout, told apart by the magic bytes rather than the extension (the
 * file format starts and ends with "ARROW1"; the stream format has no magic and ends with an
 * end-of-stream marker). Pure Java: record batches are read one at a time from the channel.
 *
 * <p>Both layouts are read as a stream of messages: the file format is the stream format between
 * its 8-byte header and its footer, end-of-stream marker included, so batches come in file order
 * and every message goes through the {@link CheckedMessageReader}'s checks.
 */
final class ArrowIpcSource extends ArrowTable {

    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    /** The magic padded to 8 bytes, where the file format's stream of messages starts. */
    private static final int FILE_HEADER_BYTES = 8;

    private final CheckedMessageReader messages;
    /** Offset of the first message: 0 in a stream, 8 in a file. */
    private final long start;

    private ArrowIpcSource(Path file, Messages opened, FileChannel channel, BufferAllocator allocator) {
        super(file, opened.reader(), List.of(channel, allocator));
        this.messages = opened.messages();
        this.start = opened.start();
    }

    /** The reader over a file's messages, and where they start. */
    private record Messages(ArrowReader reader, CheckedMessageReader messages, long start) { }

    /** Reads every column: Arrow IPC batches are read whole, so a projection would save no decoding. */
    static <C> Opened<C> open(Path file, ColumnRequest<C> request) {
        BufferAllocator allocator = Arrow.allocator().newChildAllocator("arrow ipc " + file, 0, Long.MAX_VALUE);
        FileChannel channel = null;
        ArrowReader reader = null;
        Messages opened;
        try {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new BadInputException(file + ": cannot be opened (" + e + "); check the path and its permissions", e);
            }
            opened = openReader(file, channel, allocator);
            reader = opened.reader();
            Schema schema;
            try {
                schema = reader.getVectorSchemaRoot().getSchema();
            } catch (IOException | RuntimeException e) {
                throw corrupt(file, e);
            }
            C columns = request.resolve(file, schema);
            return new Opened<>(new ArrowIpcSource(file, opened, channel, allocator), columns);
        } catch (RuntimeException e) {
            closeAfterFailure(e, reader, channel, allocator);
            throw e;
        }
    }

    /**
     * Checks both ends of the file before handing it to Arrow, whose readers would otherwise take a
     * stream cut at a message boundary for a complete one.
     */
    private static Messages openReader(Path file, FileChannel channel, BufferAllocator allocator) {
        try {
            long size = channel.size();
            ByteBuffer head = InputFiles.read(channel, 0, (int) Math.min(MAGIC.length, size));
            if (head.equals(ByteBuffer.wrap(MAGIC))) {
                ByteBuffer tail = InputFiles.read(channel, Math.max(0, size - MAGIC.length), MAGIC.length);
                if (size < 2L * MAGIC.length || !tail.equals(ByteBuffer.wrap(MAGIC))) {
                    throw corrupt(file, "the Arrow file footer is missing");
                }
                return messages(channel, allocator, FILE_HEADER_BYTES);
            }
            // A stream ends with the end-of-stream marker 0xFFFFFFFF 0x00000000 (or, before Arrow
            // 0.15, 0x00000000): either way with four zero bytes.
            ByteBuffer tail = InputFiles.read(channel, Math.max(0, size - 4), 4);
            if (size < 8 || !tail.equals(ByteBuffer.wrap(new byte[4]))) {
                throw corrupt(file, "the Arrow stream has no end-of-stream marker");
            }
            return messages(channel, allocator, 0);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read (" + e + "); check the file and its permissions", e);
        }
    }

    private static Messages messages(FileChannel channel, BufferAllocator allocator, long start) throws IOException {
        channel.position(start);
        CheckedMessageReader messages = new CheckedMessageReader(channel, allocator);
        return new Messages(new ArrowStreamReader(messages, allocator, CommonsCompressionFactory.INSTANCE), messages, start);
    }

    @Override
    OptionalLong rowCount() {
        try {
            return OptionalLong.of(messages.countRows(start));
        } catch (IOException | RuntimeException e) {
            throw corrupt(file(), e);
        }
    }

    @Override
    BadInputException decodeFailure(Exception failure) {
        return corrupt(file(), failure);
    }

    private static BadInputException corrupt(Path file, Exception e) {
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
        if (e instanceof OutOfMemoryException) {
            // The decode budget of CheckedMessageReader, not the machine's memory.
            reason = "a batch claims more values than its buffers hold: " + reason;
        }
        BadInputException error = corrupt(file, reason);
        error.initCause(e);
        return error;
    }

    private static BadInputException corrupt(Path file, String reason) {
        return new BadInputException(file + ": not a readable Arrow IPC file (" + reason
                + "); it may be truncated or corrupt, re-export it");
    }
}
