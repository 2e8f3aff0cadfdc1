package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes every output of one piece of work together, or none of them. Inside {@link #run}, each
 * {@link AtomicFiles#write} and {@link TableWriter#commit} finishes its temporary file but leaves the
 * rename to the transaction. When the work returns, the transaction renames all of them onto their
 * targets; when it throws (a full disk on the third output, Ctrl-C, a bad row found late), it deletes
 * them, and every target keeps its previous version. A model is therefore never left beside
 * assignments from another fit, nor plots beside a report that was not written.
 *
 * <p>Publishing keeps each previous version as a hard link until all renames have succeeded; a rename
 * that fails restores the targets already replaced from them (targets that did not exist are
 * removed). A crash in the middle of publishing (kill -9, power cut: milliseconds against the
 * seconds of the work) can still leave a mix of old and new files, each of them complete, and the
 * kept versions as {@code .<name>.<random>.old.tmp} beside them.
 *
 * <pre>{@code
 * OutputTransaction.run(() -> {
 *     AtomicFiles.write(report, out -> out.write(page));
 *     AtomicFiles.write(plot, out -> out.write(png));
 *     return null;
 * });   // both files appear here, or neither changes
 * }</pre>
 */
public final class OutputTransaction {

    private static final ScopedValue<OutputTransaction> CURRENT = ScopedValue.newInstance();

    /** Finished temporary files and the destinations they replace, in the order they were staged. */
    private final List<Staged> staged = new ArrayList<>();

    private record Staged(Path temp, Path destination) {
    }

    /** Work that may throw whatever the caller's own work throws. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T call() throws E;
    }

    private OutputTransaction() {
    }

    /**
     * Runs {@code work} in a new transaction and publishes its outputs when it returns normally.
     *
     * @throws E           what {@code work} throws; nothing it wrote is published then
     * @throws IOException when publishing fails; every target is as it was before
     */
    public static <T, E extends Exception> T run(Work<T, E> work) throws E, IOException {
        OutputTransaction transaction = new OutputTransaction();
        boolean published = false;
        try {
            T result = ScopedValue.where(CURRENT, transaction).call(work::call);
            Cancellation.check();
            transaction.publish();
            published = true;
            return result;
        } finally {
            if (!published) {
                transaction.discard();
            }
        }
    }

    /** The transaction the current thread's work runs in, or {@code null} outside one. */
    static OutputTransaction current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /**
     * Takes over a finished, forced temporary file to rename onto {@code destination} when the work
     * is done. Two outputs of one transaction with the same destination are refused: one would be lost.
     */
    synchronized void stage(Path temp, Path destination) throws FileSystemException {
        for (Staged s : staged) {
            if (s.destination().equals(destination)) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // the temporary file is removed at exit at the latest
                }
                throw new FileSystemException(destination.toString(), null,
                        "is written twice by this command; give each output its own name");
            }
        }
        staged.add(new Staged(temp, destination));
    }

    private void publish() throws IOException {
        List<Path> kept = new ArrayList<>();
        int renamed = 0;
        try {
            for (Staged s : staged) {
                kept.add(keepPrevious(s.destination()));
                Files.move(s.temp(), s.destination(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                renamed++;
            }
        } catch (IOException e) {
            Staged failed = staged.get(renamed);
            restore(renamed, kept, e);
            throw AtomicFiles.writeFailure(failed.destination(), e);
        }
        Set<Path> directories = new LinkedHashSet<>();
        for (Staged s : staged) {
            directories.add(s.destination().getParent());
        }
        directories.forEach(AtomicFiles::syncDirectory);
        staged.clear();
        for (Path old : kept) {
            deleteQuietly(old);
        }
    }

    /**
     * A hard link to the current version of {@code destination}, or {@code null} when there is none.
     * Where the file system has no hard links, the previous version is moved aside instead (the
     * destination is then briefly absent rather than briefly old).
     */
    private static Path keepPrevious(Path destination) throws IOException {
        if (Files.isDirectory(destination)) {
            throw new FileSystemException(destination.toString(), null, "is a directory; give a file name");
        }
        if (!Files.exists(destination)) {
            return null;
        }
        Path old = destination.resolveSibling("." + destination.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".old" + AtomicFiles.TEMP_SUFFIX);
        try {
            Files.createLink(old, destination);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(destination, old, StandardCopyOption.ATOMIC_MOVE);
        }
        return old;
    }

    /** Undoes the first {@code renamed} renames and deletes what was not published. */
    private void restore(int renamed, List<Path> kept, IOException failure) {
        for (int i = kept.size() - 1; i >= 0; i--) {
            Path destination = staged.get(i).destination();
            Path old = kept.get(i);
            try {
                if (old != null) {
                    Files.move(old, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else if (i < renamed) {
                    Files.deleteIfExists(destination);
                }
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
        discard();
    }

    /**
     * Deletes every temporary file not yet renamed. It runs while another failure is on its way out,
     * so it does not throw.
     */
    private void discard() {
        for (Staged s : staged) {
            deleteQuietly(s.temp());
        }
        staged.clear();
    }

    /**
     * Deletes a file this class made, if it is there. Only the leftover name is at stake: the outputs
     * are published or restored by then, so a failure here must not turn the outcome into an error.
     */
    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            file.toFile().deleteOnExit();
        }
    }
}
