package dev.segmenta.peers;

import dev.segmenta.engine.KernelWarmup;
import dev.segmenta.engine.bench.QuickBench;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.KernelSelection;
import dev.segmenta.kernels.Kernels;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Segmenta's Lloyd k-means ({@link KMeans#fitFrom}) on the auto-selected kernel backend. */
final class SegmentaPeer implements Peer {

    private final KernelSelection backend;
    private final BlockExecutor executor;
    private Dataset data;

    SegmentaPeer(String backend, int threads) {
        this.backend = Kernels.select(backend);
        this.executor = new BlockExecutor(threads);
    }

    @Override
    public String name() {
        return "Segmenta " + backend.kernels().name() + " (" + QuickBench.device(backend) + ")";
    }

    @Override
    public int threadsUsed() {
        return executor.threads();
    }

    /** Cuts the row-major points into the engine's column-major blocks and compiles the kernels, as {@code segmenta fit} does while reading. */
    @Override
    public void load(Path file, int d) throws IOException {
        Points points = Points.read(file, d);
        int blockRows = ReadOptions.DEFAULT_BLOCK_ROWS;
        List<FeatureBatch> blocks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            names.add("x" + f);
        }
        for (int first = 0; first < points.n(); first += blockRows) {
            int rows = Math.min(blockRows, points.n() - first);
            float[] values = new float[rows * d];
            long[] ids = new long[rows];
            for (int i = 0; i < rows; i++) {
                ids[i] = first + i;
                for (int f = 0; f < d; f++) {
                    values[f * rows + i] = points.get(first + i, f);
                }
            }
            blocks.add(new FeatureBatch(values, rows, d, first, new IdColumn.Longs(ids, rows)));
        }
        data = new Dataset(blocks, names, null);
        KernelWarmup.run(backend.kernels());
    }

    /** Tolerance 0: stops early only when no centroid moves. */
    @Override
    public Fit fit(float[] initial, int k, int iterations) {
        KMeansResult r = KMeans.fitFrom(data, initial, new KMeansParams(k, iterations, 0, 1, 0), backend.kernels(),
                executor, KMeansListener.NONE, 1).result();
        return new Fit(r.centroids(), r.iterations());
    }

    @Override
    public void close() {
        executor.close();
    }
}
