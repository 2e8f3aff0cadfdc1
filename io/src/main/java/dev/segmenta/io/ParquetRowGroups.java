package dev.segmenta.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.hardwood.metadata.ColumnChunk;
import dev.hardwood.metadata.Encoding;
import dev.hardwood.metadata.LogicalType;
import dev.hardwood.metadata.RowGroup;
import dev.hardwood.schema.ColumnSchema;
import dev.hardwood.schema.FileSchema;
import dev.hardwood.schema.SchemaNode;

/**
 * The row groups of a Parquet file of flat numeric columns, decoded by {@link ParquetPageDecoder}
 * on all cores, several row groups ahead of the one being handed out, each straight from the mapped
 * file into its columns. Used where every column read is one it decodes ({@link #open} says);
 * Hardwood reads the other files.
 */
final class ParquetRowGroups implements AutoCloseable {

    private static final Set<Encoding> DECODED = EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE,
            Encoding.RLE_DICTIONARY);
    private static final Set<ParquetScan.Kind> FEATURES = EnumSet.of(ParquetScan.Kind.FLOAT, ParquetScan.Kind.DOUBLE,
            ParquetScan.Kind.INT, ParquetScan.Kind.UINT32, ParquetScan.Kind.LONG, ParquetScan.Kind.UINT64);
    private static final Set<ParquetScan.Kind> IDS = EnumSet.of(ParquetScan.Kind.INT, ParquetScan.Kind.UINT32,
            ParquetScan.Kind.LONG);

    /** One decoded row group: a target per feature, and the ids (or {@code null}). */
    record Decoded(int rows, ParquetPageDecoder.Target[] features, long[] ids) { }

    private final ParquetScan scan;
    private final List<ParquetPageDecoder.Column> features;
    private final ParquetPageDecoder.Column id;
    private final Arena arena;
    private final MemorySegment mapped;
    private final ExecutorService pool;
    private final int ahead;
    private final ArrayDeque<Future<Decoded>> window = new ArrayDeque<>();
    private int nextGroup;

    private ParquetRowGroups(ParquetScan scan, List<ParquetPageDecoder.Column> features, ParquetPageDecoder.Column id,
                             Arena arena, MemorySegment mapped, int threads) {
        this.scan = scan;
        this.features = features;
        this.id = id;
        this.arena = arena;
        this.mapped = mapped;
        this.ahead = threads + 1;
        this.pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "parquet-decoder");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The decoder for {@code features} and {@code idColumn} (or none) of the scan's file, or
     * {@code null} where one of them is no flat FLOAT/DOUBLE/INT32/INT64 column of PLAIN or
     * dictionary pages that are uncompressed, snappy or zstd, or a row group is too large for an array.
     */
    static ParquetRowGroups open(ParquetScan scan, List<String> features, String idColumn) {
        if (idColumn != null && features.contains(idColumn)) {
            return null;
        }
        FileSchema schema = scan.reader().getFileSchema();
        Map<String, ParquetPageDecoder.Column> columns = new HashMap<>();
        List<String> read = new ArrayList<>(features);
        if (idColumn != null) {
            read.add(idColumn);
        }
        for (String name : read) {
            ParquetPageDecoder.Column column = column(schema, name, name.equals(idColumn) ? IDS : FEATURES);
            if (column == null) {
                return null;
            }
            columns.put(name, column);
        }
        for (RowGroup group : scan.reader().getFileMetaData().rowGroups()) {
            if (group.numRows() > Integer.MAX_VALUE - 16) {
                return null;
            }
            for (ColumnChunk chunk : group.columns()) {
                if (chunk.metaData().pathInSchema().isEmpty()) {
                    // Found by fuzzing: a chunk of no column; no schema can hold it.
                    throw ParquetScan.unreadable(scan.file(), new IllegalStateException("a column chunk names no column"));
                }
                if (!columns.containsKey(chunk.metaData().pathInSchema().topLevelName())) {
                    continue;
                }
                if (chunk.metaData().codec() == null) {
                    // Found by fuzzing: a codec number Hardwood knows no name for.
                    throw ParquetScan.unreadable(scan.file(), new IllegalStateException("a column chunk's compression codec is unknown"));
                }
                if (!DECODED.containsAll(chunk.metaData().encodings()) || codec(chunk) < 0) {
                    return null;
                }
            }
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(scan.file(), StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            List<ParquetPageDecoder.Column> featureColumns = features.stream().map(columns::get).toList();
            return new ParquetRowGroups(scan, featureColumns, idColumn == null ? null : columns.get(idColumn), arena,
                    mapped, Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException(e);
        }
    }

    private static ParquetPageDecoder.Column column(FileSchema schema, String name, Set<ParquetScan.Kind> kinds) {
        boolean topLevelLeaf = schema.getRootNode().children().stream()
                .anyMatch(node -> node.name().equals(name) && node instanceof SchemaNode.PrimitiveNode);
        if (!topLevelLeaf) {
            return null;
        }
        ColumnSchema leaf = schema.getColumn(name);
        boolean plainNumber = leaf.logicalType() == null || leaf.logicalType() instanceof LogicalType.IntType;
        ParquetScan.Kind kind = ParquetScan.kind(leaf);
        if (!plainNumber || !kinds.contains(kind) || leaf.maxRepetitionLevel() != 0 || leaf.maxDefinitionLevel() > 1) {
            return null;
        }
        return new ParquetPageDecoder.Column(name, kind, leaf.maxDefinitionLevel() == 1, -1);
    }

    private static int codec(ColumnChunk chunk) {
        return switch (chunk.metaData().codec()) {
            case UNCOMPRESSED -> ParquetPageDecoder.UNCOMPRESSED;
            case SNAPPY -> ParquetPageDecoder.SNAPPY;
            case ZSTD -> ParquetPageDecoder.ZSTD;
            default -> -1;
        };
    }

    /** The next row group's columns, in file order, or {@code null} after the last one. */
    Decoded next() {
        List<ParquetFooter.RowGroup> groups = scan.footer().rowGroups();
        while (window.size() < ahead && nextGroup < groups.size()) {
            int group = nextGroup++;
            window.add(pool.submit(() -> decode(group)));
        }
        Future<Decoded> head = window.poll();
        if (head == null) {
            return null;
        }
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BadInputException bad) {
                throw bad;
            }
            if (cause instanceof CancellationException cancelled) {
                throw cancelled;
            }
            if (cause instanceof OutOfMemoryError oom) {
                throw oom;
            }
            throw ParquetScan.unreadable(scan.file(), (Exception) cause);
        }
    }

    private static final ThreadLocal<ParquetPageDecoder.Scratch> SCRATCH = ThreadLocal.withInitial(
            ParquetPageDecoder.Scratch::new);

    private Decoded decode(int group) {
        Cancellation.check();
        ParquetFooter.RowGroup rowGroup = scan.footer().rowGroups().get(group);
        int rows = (int) rowGroup.rows();
        ParquetPageDecoder.Target[] targets = new ParquetPageDecoder.Target[features.size()];
        for (int f = 0; f < targets.length; f++) {
            targets[f] = new ParquetPageDecoder.Target(new float[rows], null);
        }
        ParquetPageDecoder.Target ids = id == null ? null : new ParquetPageDecoder.Target(null, new long[rows]);
        if (rows == 0) {
            return new Decoded(0, targets, ids == null ? null : ids.longs);
        }
        for (ParquetFooter.ColumnChunk chunk : rowGroup.columns()) {
            for (int f = 0; f < targets.length; f++) {
                if (features.get(f).name().equals(chunk.column())) {
                    decode(chunk, features.get(f), group, rows, targets[f]);
                }
            }
            if (id != null && id.name().equals(chunk.column())) {
                decode(chunk, id, group, rows, ids);
            }
        }
        if (ids != null && !ids.nulls.isEmpty()) {
            throw new BadInputException(scan.file() + ": row " + (firstRow(group) + ids.nulls.nextSetBit(0) + 1)
                    + ", column '" + id.name() + "' (the id) is empty; every row needs an id");
        }
        return new Decoded(rows, targets, ids == null ? null : ids.longs);
    }

    private void decode(ParquetFooter.ColumnChunk chunk, ParquetPageDecoder.Column column, int group, int rows,
                        ParquetPageDecoder.Target target) {
        ParquetPageDecoder.Column withCodec = new ParquetPageDecoder.Column(column.name(), column.kind(),
                column.optional(), chunk.codec());
        try {
            ParquetPageDecoder.decode(mapped, chunk.start(), chunk.compressedBytes(), withCodec, rows, target, SCRATCH.get());
        } catch (ParquetPageDecoder.Corrupt | ThriftCompactReader.Malformed | IndexOutOfBoundsException e) {
            throw new BadInputException(scan.file() + ": not a readable Parquet file (column '" + column.name()
                    + "', row group " + group + ": " + e.getMessage() + "); it may be truncated or corrupt, re-export it", e);
        }
    }

    private long firstRow(int group) {
        long row = 0;
        for (int g = 0; g < group; g++) {
            row += scan.footer().rowGroups().get(g).rows();
        }
        return row;
    }

    /** Stops the decoders, then unmaps the file: no decoder reads it after. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(scan.file() + ": the Parquet decoders did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (pool.isTerminated()) {
                arena.close();
            }
        }
    }
}
