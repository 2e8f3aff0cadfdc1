package dev.segmenta.engine.cluster;

import java.util.Arrays;

/**
 * Re-seeds clusters left without customers after an assignment pass: each empty cluster takes one of
 * the customers farthest from their own centroid (largest squared distance first, earlier rows first
 * on ties), and that customer's weight and coordinates move from its old cluster's sums to the new one
 * ({@link KMeansWorkspace#move}).
 */
final class EmptyClusters {

    private EmptyClusters() {
    }

    static void relocate(KMeansWorkspace ws, int k) {
        double[] counts = ws.counts;
        int empty = 0;
        for (int j = 0; j < k; j++) {
            if (counts[j] <= 0) {
                empty++;
            }
        }
        if (empty == 0) {
            return;
        }
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
        int next = 0;
        for (int j = 0; j < k && next < empty; j++) {
            if (counts[j] > 0 || farDist[next] <= 0) {
                continue;
            }
            int b = farBlock[next];
            int i = farRow[next];
            next++;
            ws.move(b, i, j);
            minDist[b][i] = 0;
        }
    }
}
