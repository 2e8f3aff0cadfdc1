package dev.segmenta.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

/**
 * Writes Parquet in two streamed passes, because Arrow's Java API only writes Parquet from an
 * {@link org.apache.arrow.vector.ipc.ArrowReader} in one call: blocks are first appended to a
 * temporary Arrow IPC stream beside the target, which {@link #commit()} then feeds through the
 * native dataset writer into a temporary directory. Memory stays at one batch either way; the
 * disk briefly holds the uncompressed stream next to the Parquet file. Each written block becomes
 * a row group (the native writer keeps incoming batches as they are). A table without rows cannot
 * be written as Parquet.
 */
final class ParquetTableWriter extends TableWriter {

    private final Path stream;
    private final ArrowBlockWriter blocks;
    private boolean empty = true;

    ParquetTableWriter(Path target, List<Column> schema, Path temp) throws IOException {
        super(target, schema, temp);
        stream = AtomicFiles.createTemp(target);
        try {
            blocks = new ArrowBlockWriter(stream, schema, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stream);
            throw e;
        }
    }

    @Override
    void writeBlock(int rows, Object[] columns) throws IOException {
        blocks.write(rows, columns);
        empty = false;
    }

    @Override
    void finish() throws IOException {
        if (empty) {
            // The native dataset writer produces no file at all for zero rows (even given an empty
            // batch), and Segmenta never has an empty table to write: empty inputs are rejected.
            throw new IllegalStateException(target() + ": a Parquet table needs at least one row");
        }
        blocks.finish();
        blocks.close();
        Path directory = Files.createTempDirectory(temp.getParent(), temp.getFileName() + ".");
        // Exit hooks run in reverse order of registration: the part file goes first, then its directory.
        directory.toFile().deleteOnExit();
        directory.resolve("part-0.parquet").toFile().deleteOnExit();
        try {
            // The root allocator, not a child closed here: the native writer releases the batches
            // exported to it from its own threads, possibly after write() has returned.
            BufferAllocator allocator = Arrow.allocator();
            try (FileChannel channel = FileChannel.open(stream, StandardOpenOption.READ);
                 ArrowStreamReader reader = new ArrowStreamReader(channel, allocator)) {
                DatasetFileWriter.write(allocator, reader, FileFormat.PARQUET, directory.toUri().toString(),
                        new String[0], 1, "part-{i}.parquet");
            } catch (RuntimeException e) {
                throw new IOException("the Parquet writer failed: " + DatasetScan.nativeReason(e), e);
            }
            Files.move(directory.resolve("part-0.parquet"), temp, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(directory);
        }
    }

    @Override
    void release() throws IOException {
        try {
            blocks.close();
        } finally {
            Files.deleteIfExists(stream);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
