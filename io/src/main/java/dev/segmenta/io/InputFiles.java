package dev.segmenta.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by everything that reads a file the user names: data, models, elbow curves. */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * Fails when {@code file} (which exists) may not be read by this process. The file may be fine, so
     * this is an I/O failure (exit 4), not bad input.
     *
     * @throws UncheckedIOException wrapping an {@link AccessDeniedException} that says what to do
     */
    public static void checkReadable(Path file) {
        if (!Files.isReadable(file)) {
            throw new UncheckedIOException(new AccessDeniedException(file.toString(), null,
                    "cannot be read (permission denied); check its permissions or run as a user who may read it"));
        }
    }

    /**
     * Up to {@code length} bytes of {@code channel} from {@code position}, fewer only at its end,
     * little-endian and ready to read; the channel's own position is left where it was.
     */
    static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // a positional read may return fewer bytes than asked
        }
        return buffer.flip();
    }
}
