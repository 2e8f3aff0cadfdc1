package dev.segmenta.engine.cluster;

import dev.segmenta.io.FeatureBatch;

import java.util.Arrays;

/**
 * Re-seeds clusters left without customers after an assignment pass: each empty cluster takes one of
 * the customers farthest from their own centroid (largest squared distance first, earlier rows first
 * on ties), and that customer's weight and coordinates move from its old cluster's sums to the new one.
 */
final class EmptyClusters {

    private EmptyClusters() {
    }

    static void relocate(KMeansWorkspace ws, double[] counts, double[] sums, int k) {
        int empty = 0;
        for (int j = 0; j < k; j++) {
            if (counts[j] <= 0) {
                empty++;
            }
        }
        if (empty == 0) {
            return;
        }
        int[][] labels = ws.labels();
        float[][] minDist = ws.minDist();
        int[] farBlock = new int[empty];
        int[] farRow = new int[empty];
        float[] farDist = new float[empty];
        Arrays.fill(farDist, -1f);
        for (int b = 0; b < ws.blockCount(); b++) {
            float[] dist = minDist[b];
            for (int i = 0; i < dist.length; i++) {
                float v = dist[i];
                if (v <= farDist[empty - 1] || ws.weight(b, i) <= 0) {
                    continue;
                }
                int slot = empty - 1;
                while (slot > 0 && v > farDist[slot - 1]) {
                    farDist[slot] = farDist[slot - 1];
                    farBlock[slot] = farBlock[slot - 1];
                    farRow[slot] = farRow[slot - 1];
                    slot--;
                }
                farDist[slot] = v;
                farBlock[slot] = b;
                farRow[slot] = i;
            }
        }
        int d = ws.d;
        int next = 0;
        for (int j = 0; j < k && next < empty; j++) {
            if (counts[j] > 0 || farDist[next] <= 0) {
                continue;
            }
            int b = farBlock[next];
            int i = farRow[next];
            next++;
            FeatureBatch block = ws.data.block(b);
            int n = block.rows();
            float[] x = block.values();
            double w = ws.weight(b, i);
            int old = labels[b][i];
            counts[old] -= w;
            counts[j] += w;
            for (int f = 0; f < d; f++) {
                double v = w * x[f * n + i];
                sums[old * d + f] -= v;
                sums[j * d + f] += v;
            }
            labels[b][i] = j;
            minDist[b][i] = 0;
        }
    }
}
