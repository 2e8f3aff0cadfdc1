package dev.segmenta.engine.cli;

import dev.segmenta.engine.data.NotEnoughMemoryException;
import dev.segmenta.io.Column;
import dev.segmenta.io.TableWriter;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Refuses, before any work, a table output that its disk cannot hold: as {@code fit} refuses data
 * the heap cannot hold, rather than writing until the disk is full (and leaving it full for everyone else
 * until the temporary file is removed).
 */
final class DiskSpace {

    /**
     * A gzip'd CSV of generated (random-looking) numbers shrinks to about a third; a quarter of the
     * uncompressed least size is below anything it reaches, so no output that fits is refused.
     */
    private static final int MOST_GZIP_RATIO = 4;

    private DiskSpace() {
    }

    /**
     * @param rows   the rows the command will write
     * @param option the option that asked for them, named in the advice
     * @throws FileSystemException (exit 4) when even the least size of {@code rows} rows of {@code schema}
     *                             ({@link TableWriter#leastBytesPerRow}) exceeds the free space of {@code target}'s file system
     */
    static void check(Path target, List<Column> schema, long rows, String option) throws IOException {
        long perRow = TableWriter.leastBytesPerRow(target, schema) / (TableWriter.compresses(target) ? MOST_GZIP_RATIO : 1);
        long need = rows > Long.MAX_VALUE / Math.max(perRow, 1) ? Long.MAX_VALUE : rows * perRow;
        long free = Files.getFileStore(target.toAbsolutePath().getParent()).getUsableSpace();
        if (need > free) {
            throw new FileSystemException(target.toString(), null, String.format(Locale.ROOT,
                    "%,d rows need at least %s (%d bytes a row), but its disk has %s free; free some space, write it "
                            + "elsewhere or ask for fewer %s", rows, NotEnoughMemoryException.size(need), perRow,
                    NotEnoughMemoryException.size(free), option));
        }
    }
}
