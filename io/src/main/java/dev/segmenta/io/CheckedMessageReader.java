package dev.segmenta.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Type;
import org.apache.arrow.flatbuf.Union;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.ipc.message.MessageResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Reads Arrow IPC messages from a file with the checks Arrow Java (18.x) leaves to its callers, found
 * by fuzzing the reader:
 * <ul>
 *   <li>a message or body length is checked against the bytes left in the file before anything is
 *       allocated for it, so a corrupt length fails at once instead of allocating gigabytes;</li>
 *   <li>each record or dictionary batch is decoded once here, and its body released if that fails:
 *       Arrow's own decoding keeps the body buffer when it throws, a leak per corrupt batch;</li>
 *   <li>a body on a message that has none to carry (a schema) is rejected, also before Arrow would
 *       keep it;</li>
 *   <li>a union column may list at most 128 type ids: Arrow allocates them by the count the schema
 *       claims, so a corrupt count ran out of memory;</li>
 *   <li>every buffer of a record or dictionary batch must lie inside the batch's body: Arrow slices a
 *       buffer of negative length without a word, then fails while it assembles the batch, having
 *       already taken a reference to the body for the buffers before it, which is never given back;</li>
 *   <li>each column of a record batch must have as many values as the batch has rows and buffers
 *       large enough for them: Arrow would otherwise grow the vector to the batch's row count and
 *       lose the buffer it grew into when the copy fails.</li>
 * </ul>
 * A batch that passes decodes the same way again in {@link org.apache.arrow.vector.ipc.ArrowStreamReader}.
 */
final class CheckedMessageReader extends MessageChannelReader {

    private static final int CONTINUATION = 0xFFFFFFFF;

    private final FileChannel channel;
    private final long size;
    private static final int MAX_NESTING = 64;
    private static final int MAX_FIELDS = 100_000;
    /** Union type ids are 8-bit and non-negative. */
    private static final int MAX_UNION_TYPES = 128;
    /** Room for what loading a batch allocates besides its declared buffers (offsets of empty columns). */
    private static final long DECODE_HEADROOM = 16L << 20;
    /** The most an LZ4 frame expands (a byte of match length stands for 255 more). */
    private static final long LZ4_MAX_EXPANSION = 256;
    /** The most a zstd frame expands (a 4-byte RLE block stands for up to 128 KiB). */
    private static final long ZSTD_MAX_EXPANSION = 32_768;

    /** Buffers of the layouts {@link #checkColumn} knows how to size. */
    private static final Set<BufferLayout.BufferType> PLAIN = EnumSet.of(BufferLayout.BufferType.VALIDITY,
            BufferLayout.BufferType.OFFSET, BufferLayout.BufferType.DATA, BufferLayout.BufferType.TYPE,
            BufferLayout.BufferType.SIZE, BufferLayout.BufferType.VIEWS);

    /** The stream's columns, once its schema message has been read. */
    private List<Field> fields;
    /** Where the message after the last one {@link #peek}ed starts. */
    private long nextPosition;

    CheckedMessageReader(FileChannel channel, BufferAllocator allocator) throws IOException {
        super(new ReadChannel(channel), allocator);
        this.channel = channel;
        this.size = channel.size();
    }

    @Override
    public MessageResult readNext() throws IOException {
        Message next = peek(channel.position());
        if (next == null) {
            return null;
        }
        byte header = next.headerType();
        boolean batch = header == MessageHeader.RecordBatch || header == MessageHeader.DictionaryBatch;
        if (!batch && next.bodyLength() != 0) {
            throw new IOException("a " + MessageHeader.name(header) + " message carries a body");
        }
        // The body (already checked to fit in the file) is read without the previous batch's budget.
        allocator.setLimit(Long.MAX_VALUE);
        MessageResult result = super.readNext();
        ArrowBuf body = result.getBodyBuffer();
        try {
            if (header == MessageHeader.Schema) {
                checkNesting((org.apache.arrow.flatbuf.Schema) result.getMessage().header(new org.apache.arrow.flatbuf.Schema()));
                fields = MessageSerializer.deserializeSchema(result.getMessage()).getFields();
                checkWidths(fields);
            }
            RecordBatch data = null;
            if (header == MessageHeader.RecordBatch) {
                data = (RecordBatch) result.getMessage().header(new RecordBatch());
            }
            if (header == MessageHeader.DictionaryBatch) {
                data = ((DictionaryBatch) result.getMessage().header(new DictionaryBatch())).data();
            }
            long[] sizes = null;
            if (data != null) {
                checkBuffers(data, next.bodyLength());
                sizes = bufferSizes(data, body);
            }
            if (header == MessageHeader.RecordBatch) {
                checkColumns(data, sizes);
            }
            if (batch) {
                decode(result.getMessage(), body == null ? allocator.getEmpty() : body);
            }
            if (data != null) {
                allocator.setLimit(allocator.getAllocatedMemory() + decodeBudget(data, sizes));
            }
        } catch (IOException | RuntimeException e) {
            if (body != null) {
                body.close();
            }
            throw e;
        }
        return result;
    }

    /**
     * The size each buffer of the batch has once decoded: as stored, or for a compressed batch the
     * uncompressed length each buffer begins with (-1 there: stored as it is), checked against the
     * codec's worst-case expansion.
     */
    private static long[] bufferSizes(RecordBatch batch, ArrowBuf body) throws IOException {
        long[] sizes = new long[batch.buffersLength()];
        BodyCompression compression = batch.compression();
        long expansion = compression == null ? 1
                : compression.codec() == CompressionType.ZSTD ? ZSTD_MAX_EXPANSION : LZ4_MAX_EXPANSION;
        for (int i = 0; i < sizes.length; i++) {
            Buffer buffer = batch.buffers(i);
            long stored = buffer.length();
            if (compression == null || stored == 0) {
                sizes[i] = stored;
                continue;
            }
            if (stored < 8) {
                throw new IOException("compressed buffer " + i + " of a batch has " + stored
                        + " bytes, too few for its length prefix");
            }
            long declared = body.getLong(buffer.offset());
            if (declared == -1) {
                sizes[i] = stored - 8;
            } else if (declared < 0 || declared > expansion * (stored - 8) + 64) {
                throw new IOException("buffer " + i + " of a batch claims " + declared + " bytes uncompressed from "
                        + (stored - 8) + ", more than its codec produces");
            } else {
                sizes[i] = declared;
            }
        }
        return sizes;
    }

    /**
     * What loading a batch into vectors may allocate beyond its body, which the vectors slice: its
     * compressed buffers' uncompressed sizes, the validity buffers Arrow makes up for columns without
     * one, and {@link #DECODE_HEADROOM}. Arrow allocates nothing else for a batch whose buffers hold
     * its values; but where they do not (a column this reader cannot size, a list whose offsets point
     * past its values), it grows the vectors to the rows claimed, and a 1 KB file asked for 1.8 GB
     * (found by fuzzing). The allocator's limit turns that into an error.
     */
    private static long decodeBudget(RecordBatch batch, long[] sizes) {
        long budget = DECODE_HEADROOM;
        for (int i = 0; i < batch.nodesLength(); i++) {
            budget += batch.nodes(i).length() / 8 + 64;
        }
        if (batch.compression() != null) {
            for (long size : sizes) {
                budget += size;
            }
        }
        return budget;
    }

    /**
     * Rows in the record batches from {@code start} to the end-of-stream marker, from the messages'
     * headers alone: the bodies are skipped, and the channel's position is left where it was.
     */
    long countRows(long start) throws IOException {
        long rows = 0;
        long position = start;
        for (Message message = peek(position); message != null; message = peek(position)) {
            if (message.headerType() == MessageHeader.RecordBatch) {
                rows += ((RecordBatch) message.header(new RecordBatch())).length();
            }
            position = nextPosition;
        }
        return rows;
    }

    /**
     * The message that starts at {@code position}, read without moving the channel, once its lengths
     * are known to fit in the file; {@code null} at the end-of-stream marker (or the end of the file).
     */
    private Message peek(long position) throws IOException {
        ByteBuffer prefix = InputFiles.read(channel, position, 8);
        if (prefix.limit() < 4) {
            return null;
        }
        int length = prefix.getInt(0);
        int prefixBytes = 4;
        if (length == CONTINUATION) {
            length = prefix.limit() < 8 ? 0 : prefix.getInt(4);
            prefixBytes = 8;
        }
        if (length == 0) {
            return null;
        }
        long left = size - position - prefixBytes;
        if (length < 0 || length > left) {
            throw new IOException("a message of " + Integer.toUnsignedString(length) + " bytes at offset " + position
                    + " runs past the end of the file (" + Math.max(0, left) + " bytes left)");
        }
        Message message = Message.getRootAsMessage(InputFiles.read(channel, position + prefixBytes, length));
        long bodyLeft = left - length;
        if (message.bodyLength() < 0 || message.bodyLength() > bodyLeft) {
            throw new IOException("a message body of " + message.bodyLength() + " bytes at offset "
                    + (position + prefixBytes + length) + " runs past the end of the file (" + bodyLeft + " bytes left)");
        }
        nextPosition = position + prefixBytes + length + message.bodyLength();
        return message;
    }

    /**
     * Rejects a schema whose columns nest deeper than {@value #MAX_NESTING} levels or number more than
     * {@value #MAX_FIELDS}: a corrupt schema can make its children refer back to themselves, and Arrow
     * converts them recursively until the stack overflows.
     */
    private static void checkNesting(org.apache.arrow.flatbuf.Schema schema) throws IOException {
        int[] budget = {MAX_FIELDS};
        for (int i = 0; i < schema.fieldsLength(); i++) {
            checkNesting(schema.fields(i), 1, budget);
        }
    }

    private static void checkNesting(org.apache.arrow.flatbuf.Field field, int depth, int[] budget) throws IOException {
        if (depth > MAX_NESTING || --budget[0] < 0) {
            throw new IOException("the schema nests columns deeper than " + MAX_NESTING + " levels or has more than "
                    + MAX_FIELDS + " of them");
        }
        // Arrow allocates a union's type ids by the count the file claims, before reading any of them.
        if (field.typeType() == Type.Union && field.type(new Union()) instanceof Union union
                && union.typeIdsLength() > MAX_UNION_TYPES) {
            throw new IOException("a union column lists " + union.typeIdsLength() + " type ids; a union has at most "
                    + MAX_UNION_TYPES);
        }
        for (int i = 0; i < field.childrenLength(); i++) {
            checkNesting(field.children(i), depth + 1, budget);
        }
    }

    /**
     * Rejects a time column whose declared bit width is not its unit's: Arrow Java sizes the column's
     * values by the unit (seconds and milliseconds in 32 bits, micro- and nanoseconds in 64) but its
     * layout by the declared width, so the buffer check would pass a buffer half the size the vector
     * needs, and Arrow would grow the vector while loading it (found by fuzzing: a leak).
     */
    private static void checkWidths(List<Field> columns) throws IOException {
        for (Field field : columns) {
            if (field.getType() instanceof ArrowType.Time time) {
                int width = switch (time.getUnit()) {
                    case SECOND, MILLISECOND -> 32;
                    case MICROSECOND, NANOSECOND -> 64;
                };
                if (time.getBitWidth() != width) {
                    throw new IOException("column '" + field.getName() + "' is a time in " + time.getUnit()
                            + " of " + time.getBitWidth() + " bits; that unit takes " + width);
                }
            }
            checkWidths(field.getChildren());
        }
    }

    /** Every buffer of the batch lies inside its body of {@code bodyLength} bytes. */
    private static void checkBuffers(RecordBatch batch, long bodyLength) throws IOException {
        for (int i = 0; i < batch.buffersLength(); i++) {
            Buffer buffer = batch.buffers(i);
            if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() > bodyLength - buffer.length()) {
                throw new IOException("buffer " + i + " of a batch (" + buffer.length() + " bytes at offset "
                        + buffer.offset() + ") lies outside the batch's body of " + bodyLength + " bytes");
            }
        }
    }

    /**
     * Checks every column with a plain layout (validity, offsets, fixed-width values, union type ids,
     * children) against the batch: the top-level columns' value counts, and each buffer's size for its
     * values. Arrow grows a column whose buffers are too small to the batch's rows, and a failure
     * while it copies can leak the new buffer (found by fuzzing: a union column before the floats
     * used to end the check); view columns are followed by as many data buffers as the batch says. A
     * column of a layout not known here ends the check; the decode budget still bounds what loading
     * it can allocate.
     */
    private void checkColumns(RecordBatch batch, long[] sizes) throws IOException {
        if (fields == null) {
            throw new IOException("a record batch comes before the schema");
        }
        if (batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
            throw new IOException("a record batch claims " + batch.length() + " rows");
        }
        int[] next = new int[3];
        for (Field field : fields) {
            if (!checkColumn(field, batch, sizes, next, batch.length())) {
                return;
            }
        }
    }

    /**
     * {@code next} holds the indices of the next field node, buffer and variadic buffer count (one per
     * view column, giving how many data buffers follow its views); {@code expected} is the value
     * count the column must have (the batch's rows, a struct's length), or -1 where its parent's
     * offsets decide (a list's values). Returns whether to go on.
     */
    private static boolean checkColumn(Field field, RecordBatch batch, long[] sizes, int[] next, long expected)
            throws IOException {
        // A dictionary-encoded column holds its indices in the batch (its values come in dictionary
        // batches): laid out as its index type, with none of the value type's children.
        boolean encoded = field.getDictionary() != null;
        ArrowType type = encoded ? field.getDictionary().getIndexType() : field.getType();
        List<BufferLayout> layouts = TypeLayout.getTypeLayout(type).getBufferLayouts();
        if (layouts.stream().anyMatch(b -> !PLAIN.contains(b.getType()))) {
            return false;
        }
        if (next[0] >= batch.nodesLength() || next[1] + layouts.size() > batch.buffersLength()) {
            throw new IOException("the batch describes fewer columns than the schema has");
        }
        FieldNode node = batch.nodes(next[0]++);
        long length = node.length();
        if (length < 0 || node.nullCount() < 0 || node.nullCount() > length || expected >= 0 && length != expected) {
            throw new IOException("column '" + field.getName() + "' has " + length + " values (" + node.nullCount()
                    + " null) in a batch of " + batch.length() + " rows");
        }
        boolean variableWidth = layouts.stream().anyMatch(b -> b.getType() == BufferLayout.BufferType.OFFSET);
        // Dense unions and list views have one offset per value; lists and strings one more, for the end.
        boolean offsetPerValue = type instanceof ArrowType.Union
                || type instanceof ArrowType.ListView || type instanceof ArrowType.LargeListView;
        for (BufferLayout layout : layouts) {
            long size = sizes[next[1]++];
            long values = switch (layout.getType()) {
                // Arrow makes up a validity buffer only where the file has none and no value or every
                // value is null; one that is there is used as it is, so it must cover every value.
                case VALIDITY -> size == 0 && (node.nullCount() == 0 || node.nullCount() == length) ? 0 : length;
                case OFFSET -> offsetPerValue ? length : length > 0 ? length + 1 : 0;
                // Variable-width data: the offsets say how much (checked once loaded: ArrowTable.checkOffsets).
                case DATA -> variableWidth ? 0 : length;
                default -> length;
            };
            if (size < (values * layout.getTypeBitWidth() + 7) / 8) {
                throw new IOException("column '" + field.getName() + "' has a " + layout.getType() + " buffer of " + size
                        + " bytes, too small for its " + length + " values");
            }
        }
        if (type instanceof ArrowType.Utf8View || type instanceof ArrowType.BinaryView) {
            if (next[2] >= batch.variadicBufferCountsLength()) {
                throw new IOException("column '" + field.getName() + "' lacks the count of its data buffers");
            }
            long data = batch.variadicBufferCounts(next[2]++);
            if (data < 0 || data > batch.buffersLength() - next[1]) {
                throw new IOException("column '" + field.getName() + "' claims " + data + " data buffers");
            }
            next[1] += (int) data;
        }
        long childLength = switch (type) {
            case ArrowType.Struct struct -> length;
            case ArrowType.FixedSizeList list -> length * list.getListSize();
            case ArrowType.Union u when u.getMode() == org.apache.arrow.vector.types.UnionMode.Sparse -> length;
            default -> -1;
        };
        for (Field child : encoded ? List.<Field>of() : field.getChildren()) {
            if (!checkColumn(child, batch, sizes, next, childLength)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a batch and drops the result. Arrow's decoder releases one reference to the body when
     * it succeeds and none when it throws, so it is handed one reference of its own.
     */
    private static void decode(Message message, ArrowBuf body) throws IOException {
        body.getReferenceManager().retain();
        boolean released = false;
        try {
            if (message.headerType() == MessageHeader.RecordBatch) {
                ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(message, body);
                released = true;
                batch.close();
            } else {
                ArrowDictionaryBatch batch = MessageSerializer.deserializeDictionaryBatch(message, body);
                released = true;
                batch.close();
            }
        } finally {
            if (!released) {
                body.getReferenceManager().release();
            }
        }
    }
}
