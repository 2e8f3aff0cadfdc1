package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.prep.Scaling;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.kernels.Kernels;

import java.nio.file.Path;

/** Child process of {@link OutOfCoreKMeansTest}: an out-of-core fit under a small heap; prints the inertia. */
public final class OutOfCoreMain {

    private OutOfCoreMain() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        KMeansParams params = new KMeansParams(Integer.parseInt(args[1]), 300, 1e-4, 3, Long.parseLong(args[2]));
        try (BlockExecutor executor = new BlockExecutor(2)) {
            long start = System.nanoTime();
            OutOfCoreKMeans.Fit fit = new OutOfCoreKMeans(file, ReadOptions.defaults(),
                    Kernels.select("auto").kernels(), executor)
                    .fit(params, Initialization.KMEANS_PLUS_PLUS, Scaling.ZSCORE, KMeansListener.NONE);
            System.out.println("max heap " + Runtime.getRuntime().maxMemory());
            System.out.println("iterations " + fit.result().iterations());
            System.out.println("seconds " + (System.nanoTime() - start) / 1e9);
            System.out.println("inertia " + fit.result().inertia());
        }
    }
}
