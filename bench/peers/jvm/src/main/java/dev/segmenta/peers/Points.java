package dev.segmenta.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A matrix of float32 values, row-major, as compare.sh's driver writes them for every peer: a raw
 * little-endian file of {@code n * d} floats (numpy's {@code tofile}), no header.
 */
record Points(float[] values, int n, int d) {

    float get(int i, int f) {
        return values[i * d + f];
    }

    float[] row(int i) {
        float[] row = new float[d];
        System.arraycopy(values, i * d, row, 0, d);
        return row;
    }

    static Points read(Path file, int d) throws IOException {
        long bytes = Files.size(file);
        if (bytes % (4L * d) != 0 || bytes / 4 > Integer.MAX_VALUE) {
            throw new IOException(file + ": " + bytes + " bytes is not a whole number of " + d + "-float rows");
        }
        long n = bytes / (4L * d);
        return new Points(readRows(file, d, 0, n), (int) n, d);
    }

    /** Rows {@code [from, to)} of a points file, for engines that read their partitions themselves (Spark). */
    static float[] readRows(Path file, int d, long from, long to) throws IOException {
        float[] values = new float[Math.toIntExact((to - from) * d)];
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 24).order(ByteOrder.LITTLE_ENDIAN);
        long position = from * d * 4;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int at = 0; at < values.length; ) {
                int floats = Math.min(buffer.capacity() / 4, values.length - at);
                buffer.clear().limit(floats * 4);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new IOException(file + ": ended before row " + to);
                    }
                }
                buffer.flip();
                buffer.asFloatBuffer().get(values, at, floats);
                at += floats;
                position += floats * 4L;
            }
        }
        return values;
    }

    static void write(Path file, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
