package dev.segmenta.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash never leaves a partial target: the content goes to a hidden temporary
 * file in the target's directory (same file system, so the rename is atomic), is forced to disk,
 * and is then renamed onto the target. Readers see the old file or the complete new one.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes what {@code body} produces to {@code target} atomically; on failure the target is untouched. */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path temp = createTemp(target);
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                body.accept(out);
            }
            commit(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** An {@link java.util.function.Consumer} that may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T value) throws IOException;
    }

    /**
     * An empty hidden file beside {@code target}, named after it so a leftover is recognisable. It is
     * also deleted when the JVM exits (Ctrl-C included) if it has not been renamed onto its target by then.
     */
    static Path createTemp(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
        temp.toFile().deleteOnExit();
        return temp;
    }

    /** Forces {@code temp} to disk, renames it onto {@code target} and forces the directory entry. */
    static void commit(Path temp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Makes the rename itself durable. Opening a directory for reading works on Linux and macOS;
     * where the platform refuses (Windows), the rename is still atomic, only not yet flushed.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform: see above
        }
    }
}
