package dev.segmenta.engine.cluster;

import dev.segmenta.engine.TestData;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridIndexTest {

    static float[][] uniform(int n, float[] width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] points = new float[n][width.length];
        for (float[] p : points) {
            for (int f = 0; f < width.length; f++) {
                p[f] = (float) (random.nextDouble() * width[f]);
            }
        }
        return points;
    }

    static GridIndex grid(float[][] points, double eps) {
        return new GridIndex(NeighbourIndex.columnMajor(TestData.dataset(points, 1000)), points.length,
                points[0].length, eps);
    }

    @Test
    void cellsAreEpsWideWhenDenseAndGrowWhenSparse() {
        float[][] points = uniform(20_000, new float[] {10, 10}, 1);
        GridIndex dense = grid(points, 0.5);
        assertEquals(0.5 * (1 + NeighbourIndex.SLACK), dense.side(), 1e-12, "80 points per eps-cell: no growth");
        GridIndex sparse = grid(points, 0.02);
        // 0.08 points per eps-cell: cells grow about sqrt(32 / 0.08) = 20 times, capped at 16
        assertEquals(0.02 * (1 + NeighbourIndex.SLACK) * GridIndex.MAX_GROWTH, sparse.side(), 1e-9);
        GridIndex moderate = grid(points, 0.15);
        assertTrue(moderate.side() > 0.15 && moderate.side() < 0.15 * GridIndex.MAX_GROWTH, "side " + moderate.side());
    }

    @Test
    void coversTheThreeWidestCoordinatesAboveThreeFeatures() {
        float[][] points = uniform(5000, new float[] {1, 40, 2, 30, 50, 3}, 2);
        assertArrayEquals(new int[] {4, 1, 3}, grid(points, 1.0).gridDimensions());
    }

    /** Every point within the radius of a query box lies in a candidate group, for any box and radius. */
    @Test
    void candidatesHoldEveryPointWithinTheRadius() {
        float[][] points = uniform(3000, new float[] {5, 5, 5, 5}, 3);
        GridIndex index = grid(points, 0.3);
        SplittableRandom random = new SplittableRandom(4);
        IntBuffer groups = new IntBuffer();
        for (int q = 0; q < 200; q++) {
            float[] lo = new float[4];
            float[] hi = new float[4];
            for (int f = 0; f < 4; f++) {
                lo[f] = (float) (random.nextDouble() * 6 - 0.5);
                hi[f] = lo[f] + (float) (random.nextDouble() * (q % 2 == 0 ? 0 : 1));
            }
            double radius = 0.1 + random.nextDouble();
            groups.clear();
            index.candidates(lo, hi, radius, groups);
            boolean[] covered = new boolean[points.length];
            for (int g = 0; g < groups.size(); g++) {
                for (int p = index.groupStart[groups.get(g)]; p < index.groupStart[groups.get(g) + 1]; p++) {
                    covered[index.ordinal[p]] = true;
                }
            }
            for (int i = 0; i < points.length; i++) {
                double gap = 0;
                for (int f = 0; f < 4; f++) {
                    double outside = Math.max(Math.max(lo[f] - points[i][f], points[i][f] - hi[f]), 0);
                    gap += outside * outside;
                }
                if (gap <= radius * radius) {
                    assertTrue(covered[i], "query " + q + " misses point " + i + " " + Arrays.toString(points[i]));
                }
            }
        }
    }
}
