package dev.segmenta.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.segmenta.io.ThriftCompactReader.BINARY;
import static dev.segmenta.io.ThriftCompactReader.BOOLEAN_FALSE;
import static dev.segmenta.io.ThriftCompactReader.BOOLEAN_TRUE;
import static dev.segmenta.io.ThriftCompactReader.I32;
import static dev.segmenta.io.ThriftCompactReader.I64;
import static dev.segmenta.io.ThriftCompactReader.LIST;
import static dev.segmenta.io.ThriftCompactReader.STOP;
import static dev.segmenta.io.ThriftCompactReader.STRUCT;

/**
 * Writes Thrift's compact protocol, the encoding of Parquet's page headers and footer: the
 * counterpart of {@link ThriftCompactReader}, for the fields {@link ParquetTableWriter} writes.
 *
 * <p>A struct is {@link #beginStruct()} (or {@link #structField} inside another), its fields in
 * increasing id order, then {@link #endStruct()}. A list is {@link #listField} followed by its
 * {@code size} elements: {@link #i32}/{@link #string} values, or structs.
 */
final class ThriftCompactWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private short[] lastFieldIds = new short[8];
    private int depth;

    /** Starts a struct that is not a field: the message itself, or a list element. */
    ThriftCompactWriter beginStruct() {
        if (depth == lastFieldIds.length) {
            lastFieldIds = Arrays.copyOf(lastFieldIds, depth * 2);
        }
        lastFieldIds[depth++] = 0;
        return this;
    }

    ThriftCompactWriter endStruct() {
        out.write(STOP);
        depth--;
        return this;
    }

    ThriftCompactWriter structField(int id) {
        header(id, STRUCT);
        return beginStruct();
    }

    ThriftCompactWriter i32Field(int id, int value) {
        header(id, I32);
        return i32(value);
    }

    ThriftCompactWriter i64Field(int id, long value) {
        header(id, I64);
        varint(zigzag(value));
        return this;
    }

    ThriftCompactWriter boolField(int id, boolean value) {
        header(id, value ? BOOLEAN_TRUE : BOOLEAN_FALSE);
        return this;
    }

    ThriftCompactWriter binaryField(int id, byte[] value) {
        header(id, BINARY);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    ThriftCompactWriter stringField(int id, String value) {
        return binaryField(id, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A list field of {@code size} elements of {@code elementType} ({@code I32}, {@code BINARY}, {@code STRUCT}). */
    ThriftCompactWriter listField(int id, int elementType, int size) {
        header(id, LIST);
        if (size < 15) {
            out.write(size << 4 | elementType);
        } else {
            out.write(0xf0 | elementType);
            varint(size);
        }
        return this;
    }

    /** A list element of type {@code I32}. */
    ThriftCompactWriter i32(int value) {
        varint(zigzag(value));
        return this;
    }

    /** A list element of type {@code BINARY}. */
    ThriftCompactWriter string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varint(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    byte[] toByteArray() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " structs not ended");
        }
        return out.toByteArray();
    }

    private void header(int id, int type) {
        int delta = id - lastFieldIds[depth - 1];
        if (delta > 0 && delta <= 15) {
            out.write(delta << 4 | type);
        } else {
            out.write(type);
            varint(zigzag(id));
        }
        lastFieldIds[depth - 1] = (short) id;
    }

    private static long zigzag(long value) {
        return value << 1 ^ value >> 63;
    }

    private void varint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
