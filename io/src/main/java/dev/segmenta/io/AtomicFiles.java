package dev.segmenta.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a crash never leaves a partial target: the content goes to a hidden temporary
 * file in the target's directory (same file system, so the rename is atomic), is forced to disk,
 * and is then renamed onto the target. Readers see the old file or the complete new one.
 *
 * <p>A target that is a symbolic link is written through: the file it points to is replaced and the
 * link stays, as when a shell redirects into a link ({@link #destination}). Inside an
 * {@link OutputTransaction} the rename waits until the transaction publishes all its outputs together.
 */
public final class AtomicFiles {

    /** Temporary files end with this, after a dot-prefixed name of their target. */
    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes what {@code body} produces to {@code target} atomically; on failure the target is untouched. */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path temp = createTemp(target);
        boolean handedOver = false;
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                body.accept(out);
            }
            commit(temp, target);
            handedOver = true;
        } catch (IOException e) {
            throw writeFailure(target, e);
        } finally {
            if (!handedOver) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * The file a write to {@code target} replaces: {@code target} itself, made absolute, or where the
     * symbolic link(s) at {@code target} point, even to a file that does not exist yet. Replacing the
     * link by a regular file would silently detach whatever reads through it (a "latest" link a job
     * publishes through, a model shared from another directory).
     *
     * @throws FileSystemException for a chain of links that does not end (a loop)
     */
    public static Path destination(Path target) throws IOException {
        Path path = target.toAbsolutePath().normalize();
        for (int hop = 0; Files.isSymbolicLink(path); hop++) {
            if (hop == MAX_LINKS) {
                throw new FileSystemException(target.toString(), null,
                        "is a chain of more than " + MAX_LINKS + " symbolic links (a loop?); give a file name");
            }
            path = path.resolveSibling(Files.readSymbolicLink(path)).normalize();
        }
        return path;
    }

    /** As the kernel's own limit on links followed in one path lookup. */
    private static final int MAX_LINKS = 40;

    /**
     * The failure to write {@code target} as one that names it: an exception from a stream or a
     * channel ("No space left on device") does not say which file it was writing.
     */
    static IOException writeFailure(Path target, IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null && !f.getFile().contains(TEMP_SUFFIX)) {
            return e;
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
        String fix = reason.contains("No space left") ? "; free some space on its disk or write it elsewhere"
                : reason.contains("File too large") ? "; the file system (or ulimit -f) limits the file size"
                : "; check the disk and the permissions of its directory";
        FileSystemException named = new FileSystemException(target.toString(), null,
                "could not be written (" + reason + ")" + fix + "; the previous version, if any, is unchanged");
        named.initCause(e);
        return named;
    }

    /** An {@link java.util.function.Consumer} that may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T value) throws IOException;
    }

    /**
     * An empty hidden file beside {@code target}, named after it so a leftover is recognisable, with
     * the permissions of any new file (the umask applies, unlike {@link Files#createTempFile}'s
     * owner-only ones: an output is meant to be read by the next job). It is deleted when the JVM
     * exits (Ctrl-C included) if it has not been renamed onto its target by then; that is arranged
     * before the file exists, so an exit that has already begun cannot leave it behind.
     */
    static Path createTemp(Path target) throws IOException {
        Path absolute = destination(target);
        for (int attempt = 1; ; attempt++) {
            Path temp = absolute.resolveSibling("." + absolute.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
            temp.toFile().deleteOnExit();
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * Forces {@code temp} to disk, then renames it onto {@code target}'s {@link #destination} and forces
     * the directory entry, or, inside an {@link OutputTransaction}, hands it to the transaction, which
     * renames it when it publishes. Either way the caller no longer owns {@code temp}.
     */
    static void commit(Path temp, Path target) throws IOException {
        force(temp);
        Path destination = destination(target);
        OutputTransaction transaction = OutputTransaction.current();
        if (transaction != null) {
            transaction.stage(temp, destination);
            return;
        }
        Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(destination.getParent());
    }

    static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /**
     * Makes the rename itself durable. Opening a directory for reading works on Linux and macOS;
     * where the platform refuses (Windows), the rename is still atomic, only not yet flushed.
     */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform: see above
        }
    }
}
