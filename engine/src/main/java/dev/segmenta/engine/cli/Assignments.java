package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.OutOfCoreKMeans;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.TableWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The per-customer output of {@code fit} and {@code predict}, for CRM tools: {@code customer_id},
 * {@code segment} (0-based), {@code segment_label} (the model's name for it) and {@code distance},
 * the Euclidean distance to the segment's centroid in the model's scaled feature space. DBSCAN's
 * noise is segment {@code -1}, labelled {@value #NOISE}, its distance NaN. Written atomically:
 * nothing appears at the target until {@link #commit()}.
 */
final class Assignments implements AutoCloseable {

    /** The label of DBSCAN's noise, segment -1. */
    static final String NOISE = "noise";
    private static final byte[] NOISE_BYTES = NOISE.getBytes(StandardCharsets.UTF_8);

    private final TableWriter writer;
    private final byte[][] labels;

    Assignments(Path target, ColumnType idType, List<String> segmentLabels) throws IOException {
        this.writer = TableWriter.open(target, List.of(
                new Column("customer_id", idType),
                new Column("segment", ColumnType.INT32),
                new Column("segment_label", ColumnType.UTF8),
                new Column("distance", ColumnType.FLOAT32)));
        this.labels = segmentLabels.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** Appends a block; {@code squaredDistances} become distances. */
    void write(IdColumn ids, int rows, int[] segments, float[] squaredDistances) throws IOException {
        float[] distances = new float[rows];
        int[] offsets = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            distances[i] = (float) Math.sqrt(squaredDistances[i]);
            offsets[i + 1] = offsets[i] + label(segments[i]).length;
        }
        byte[] text = new byte[offsets[rows]];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(label(segments[i]), 0, text, offsets[i], offsets[i + 1] - offsets[i]);
        }
        writer.write(rows, ids, segments, new IdColumn.Utf8(text, offsets, rows), distances);
    }

    private byte[] label(int segment) {
        return segment < 0 ? NOISE_BYTES : labels[segment];
    }

    void commit() throws IOException {
        writer.commit();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    /** Writes an out-of-core fit's assignments in one more streamed pass over its file. */
    static void write(Path target, List<String> segmentLabels, OutOfCoreKMeans kmeans, OutOfCoreKMeans.Fit fit)
            throws IOException {
        Assignments[] out = new Assignments[1];
        try {
            kmeans.forEachAssignment(fit.scaling(), fit.result().centroids(), fit.result().k(), (block, labels, d) -> {
                if (out[0] == null) {
                    out[0] = new Assignments(target, ColumnType.of(block.ids()), segmentLabels);
                }
                out[0].write(block.ids(), block.rows(), labels, d);
            });
            out[0].commit();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (out[0] != null) {
                out[0].close();
            }
        }
    }

    /** Writes a fitted dataset's assignments block by block. */
    static void write(Path target, List<String> segmentLabels, Dataset data, int[][] labels, float[][] squaredDistances)
            throws IOException {
        try (Assignments out = new Assignments(target, ColumnType.of(data.block(0).ids()), segmentLabels)) {
            for (int b = 0; b < data.blockCount(); b++) {
                out.write(data.block(b).ids(), data.block(b).rows(), labels[b], squaredDistances[b]);
            }
            out.commit();
        }
    }
}
