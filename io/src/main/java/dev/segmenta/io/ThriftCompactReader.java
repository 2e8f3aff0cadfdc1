package dev.segmenta.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads Thrift's compact protocol, the encoding of Parquet's footer and page headers, from a buffer
 * whose every byte may be hostile: each read is checked against the bytes left, a declared length
 * or element count is never trusted for an allocation before the bytes are there, and structures
 * nest at most {@value #MAX_DEPTH} deep. Any violation is a {@link Malformed}.
 *
 * <p>Callers walk a struct with {@link #nextField()} until it answers {@link #STOP}, reading the
 * fields they know with the typed reads and passing the rest to {@link #skip(int)}.
 */
final class ThriftCompactReader {

    /** Field and element types of the compact protocol. */
    static final int STOP = 0;
    static final int BOOLEAN_TRUE = 1;
    static final int BOOLEAN_FALSE = 2;
    static final int BYTE = 3;
    static final int I16 = 4;
    static final int I32 = 5;
    static final int I64 = 6;
    static final int DOUBLE = 7;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int SET = 10;
    static final int MAP = 11;
    static final int STRUCT = 12;

    private static final int MAX_DEPTH = 64;

    /** The encoding is broken: the message says where and how. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private final ByteBuffer buffer;
    private int fieldType;
    private short fieldId;
    private final short[] lastFieldIds = new short[MAX_DEPTH];
    private int depth;

    ThriftCompactReader(ByteBuffer buffer) {
        this.buffer = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Bytes consumed so far. */
    int position() {
        return buffer.position();
    }

    /** Enters a struct: the next {@link #nextField()} reads its first field header. */
    void beginStruct() {
        if (depth == MAX_DEPTH) {
            throw new Malformed("structures nested more than " + MAX_DEPTH + " deep");
        }
        lastFieldIds[depth++] = 0;
    }

    /**
     * Reads the next field header of the current struct and returns its type, or {@link #STOP}
     * after the last field (leaving the struct); {@link #fieldId()} names the field read.
     */
    int nextField() {
        int header = readByte() & 0xff;
        int type = header & 0x0f;
        if (type == STOP) {
            depth--;
            return STOP;
        }
        int delta = header >>> 4;
        short id = delta == 0 ? (short) zigzag(readVarint(), 16) : (short) (lastFieldIds[depth - 1] + delta);
        lastFieldIds[depth - 1] = id;
        fieldId = id;
        fieldType = type;
        if (type > STRUCT) {
            throw new Malformed("unknown field type " + type + " at byte " + (position() - 1));
        }
        return type;
    }

    short fieldId() {
        return fieldId;
    }

    private int readI32() {
        if (fieldType != I32 && fieldType != I16 && fieldType != BYTE) {
            throw new Malformed("field " + fieldId + " is of type " + fieldType + ", not an integer");
        }
        return fieldType == BYTE ? readByte() : (int) zigzag(readVarint(), 32);
    }

    long readI64() {
        if (fieldType == I64) {
            return zigzag(readVarint(), 64);
        }
        return readI32();
    }

    String readString() {
        requireFieldType(BINARY);
        return readStringElement();
    }

    /** A string element of a list (no field header of its own). */
    String readStringElement() {
        return new String(readBinaryElement(), StandardCharsets.UTF_8);
    }

    /** A binary field's bytes (statistics, for example). */
    byte[] readBinary() {
        requireFieldType(BINARY);
        return readBinaryElement();
    }

    private byte[] readBinaryElement() {
        byte[] bytes = new byte[length(readVarint())];
        buffer.get(bytes);
        return bytes;
    }

    /** The element count of a list or set field; the element type must be {@code elementType}. */
    int readListHeader(int elementType) {
        if (fieldType != LIST && fieldType != SET) {
            throw new Malformed("field " + fieldId + " is of type " + fieldType + ", not a list");
        }
        int header = readByte() & 0xff;
        int type = header & 0x0f;
        int size = header >>> 4;
        if (size == 15) {
            size = length(readVarint());
        }
        if (size > 0 && type != elementType) {
            throw new Malformed("field " + fieldId + " is a list of type " + type + ", not " + elementType);
        }
        // Every element takes at least one byte: a count beyond the bytes left is a lie.
        if (size > buffer.remaining()) {
            throw new Malformed("list of " + size + " elements in " + buffer.remaining() + " bytes");
        }
        fieldType = type;
        return size;
    }

    /** Skips the value of the field just read (or an element of type {@code type}). */
    void skip(int type) {
        switch (type) {
            case BOOLEAN_TRUE, BOOLEAN_FALSE -> { }
            case BYTE -> readByte();
            case I16, I32, I64 -> readVarint();
            case DOUBLE -> advance(8);
            case BINARY -> advance(length(readVarint()));
            case LIST, SET -> {
                int header = readByte() & 0xff;
                int size = header >>> 4 == 15 ? length(readVarint()) : header >>> 4;
                skipElements(header & 0x0f, size);
            }
            case MAP -> {
                int size = length(readVarint());
                if (size > 0) {
                    int types = readByte() & 0xff;
                    for (int i = 0; i < size; i++) {
                        skipElement(types >>> 4);
                        skipElement(types & 0x0f);
                    }
                }
            }
            case STRUCT -> {
                beginStruct();
                for (int t = nextField(); t != STOP; t = nextField()) {
                    skip(t);
                }
            }
            default -> throw new Malformed("unknown type " + type);
        }
    }

    private void skipElements(int type, int size) {
        for (int i = 0; i < size; i++) {
            skipElement(type);
        }
    }

    /** In collections a boolean takes a byte of its own. */
    private void skipElement(int type) {
        if (type == BOOLEAN_TRUE || type == BOOLEAN_FALSE) {
            readByte();
        } else if (type == STOP) {
            throw new Malformed("collection of element type 0");
        } else {
            skip(type);
        }
    }

    private void requireFieldType(int type) {
        if (fieldType != type) {
            throw new Malformed("field " + fieldId + " is of type " + fieldType + ", not " + type);
        }
    }

    private byte readByte() {
        if (!buffer.hasRemaining()) {
            throw new Malformed("ends inside a structure (after " + position() + " bytes)");
        }
        return buffer.get();
    }

    private void advance(int bytes) {
        if (bytes > buffer.remaining()) {
            throw new Malformed("value of " + bytes + " bytes with " + buffer.remaining() + " left");
        }
        buffer.position(buffer.position() + bytes);
    }

    private int length(long declared) {
        if (declared < 0 || declared > Integer.MAX_VALUE) {
            throw new Malformed("length " + declared + " at byte " + position());
        }
        if (declared > buffer.remaining()) {
            throw new Malformed("length " + declared + " with " + buffer.remaining() + " bytes left");
        }
        return (int) declared;
    }

    private long readVarint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new Malformed("varint longer than 10 bytes at byte " + position());
    }

    /** Decodes a zigzag varint of {@code bits} bits, rejecting one that does not fit them. */
    private static long zigzag(long raw, int bits) {
        long value = (raw >>> 1) ^ -(raw & 1);
        if (bits < 64 && (value < -(1L << (bits - 1)) || value >= 1L << (bits - 1))) {
            throw new Malformed("integer " + value + " does not fit " + bits + " bits");
        }
        return value;
    }
}
