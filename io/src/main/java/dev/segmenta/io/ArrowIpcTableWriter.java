package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes an Arrow IPC file ({@code .arrow}) or stream ({@code .arrows}), one record batch per block. */
final class ArrowIpcTableWriter extends TableWriter {

    private final ArrowBlockWriter blocks;

    ArrowIpcTableWriter(Path target, List<Column> schema, Path temp, boolean stream) throws IOException {
        super(target, schema, temp);
        blocks = new ArrowBlockWriter(temp, schema, stream);
    }

    @Override
    void writeBlock(int rows, Object[] columns) throws IOException {
        blocks.write(rows, columns);
    }

    @Override
    void finish() throws IOException {
        blocks.finish();
        blocks.close();
    }

    @Override
    void release() throws IOException {
        blocks.close();
    }
}
