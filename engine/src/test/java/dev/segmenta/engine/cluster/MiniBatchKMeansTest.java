package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.kernels.KMeansKernels;
import dev.segmenta.kernels.Kernels;
import dev.segmenta.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MiniBatchKMeansTest {

    private static final float[][] CENTRES = {{0, 0, 0}, {8, 0, 0}, {0, 8, 0}, {0, 0, 8}, {8, 8, 0}, {8, 0, 8},
            {0, 8, 8}, {8, 8, 8}};

    private static KMeans.Fit miniBatch(Dataset data, KMeansParams params, KMeansKernels kernels, int threads) {
        try (BlockExecutor executor = new BlockExecutor(threads)) {
            return new MiniBatchKMeans(256, 10).fit(data, params, Initialization.KMEANS_PLUS_PLUS, kernels, executor,
                    KMeansListener.NONE);
        }
    }

    @Test
    void inertiaIsWithinTwoPercentOfLloyd() {
        Dataset data = TestData.dataset(TestData.blobs(CENTRES, 5000, 3), 4096);
        KMeansParams params = new KMeansParams(8, 100, 0, 3, 17);
        KMeans.Fit miniBatch = miniBatch(data, params, new ScalarKernels(), 2);
        double lloyd;
        try (BlockExecutor executor = new BlockExecutor(2)) {
            lloyd = KMeans.fit(data, params, new ScalarKernels(), executor, KMeansListener.NONE).result().inertia();
        }
        double ratio = miniBatch.result().inertia() / lloyd;
        assertTrue(ratio >= 1 - 1e-9 && ratio < 1.02, "mini-batch / Lloyd inertia = " + ratio);
        assertTrue(miniBatch.result().iterations() < 100 * data.rows() / 256,
                "expected an early stop, ran " + miniBatch.result().iterations() + " steps");
    }

    @Test
    void finalPassAssignsEveryCustomerToItsNearestCentroid() {
        float[][] points = TestData.blobs(CENTRES, 300, 5);
        Dataset data = TestData.dataset(points, 1000);
        KMeans.Fit fit = miniBatch(data, new KMeansParams(8, 50, 1e-4, 1, 3), new ScalarKernels(), 2);
        float[] c = fit.result().centroids();
        double inertia = 0;
        int row = 0;
        for (int b = 0; b < data.blockCount(); b++) {
            for (int i = 0; i < data.block(b).rows(); i++, row++) {
                double best = Double.POSITIVE_INFINITY;
                int argmin = -1;
                for (int j = 0; j < 8; j++) {
                    double dist = 0;
                    for (int f = 0; f < 3; f++) {
                        double diff = points[row][f] - c[j * 3 + f];
                        dist += diff * diff;
                    }
                    if (dist < best) {
                        best = dist;
                        argmin = j;
                    }
                }
                assertEquals(argmin, fit.labels()[b][i], "row " + row);
                inertia += best;
            }
        }
        assertEquals(inertia, fit.result().inertia(), 1e-6 * inertia);
    }

    @Test
    void sameSeedGivesSameModelForAnyThreadCount() {
        Dataset data = TestData.dataset(TestData.blobs(CENTRES, 2000, 7), 1000);
        KMeansParams params = new KMeansParams(8, 100, 1e-4, 2, 99);
        KMeansKernels kernels = Kernels.select("auto").kernels();
        KMeans.Fit one = miniBatch(data, params, kernels, 1);
        for (int threads : new int[] {2, 5}) {
            KMeans.Fit many = miniBatch(data, params, kernels, threads);
            assertArrayEquals(one.result().centroids(), many.result().centroids(), threads + " threads");
            assertEquals(one.result().inertia(), many.result().inertia(), threads + " threads");
            assertEquals(one.result().iterations(), many.result().iterations(), threads + " threads");
        }
    }

    @Test
    void batchLargerThanTheDataStillSeparatesTheGroups() {
        float[][] points = {{0, 0}, {0, 2}, {10, 10}, {10, 12}};
        KMeans.Fit fit = miniBatch(TestData.dataset(points, 3), new KMeansParams(2, 20, 0, 1, 1), new ScalarKernels(), 1);
        assertEquals(2, fit.result().k());
        assertEquals(fit.labels()[0][0], fit.labels()[0][1]);
        assertEquals(fit.labels()[0][2], fit.labels()[1][0]);
        assertTrue(fit.labels()[0][0] != fit.labels()[0][2]);
    }
}
