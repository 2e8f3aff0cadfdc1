package dev.segmenta.engine.cluster;

import dev.segmenta.engine.data.Dataset;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.FeatureBatch;

import java.util.BitSet;

/**
 * A spatial index for radius queries: the points rearranged into groups of spatially close points,
 * each group a contiguous range of positions, plus a query for the groups that may hold a point
 * within a radius of a box. Callers compute the exact distances to the candidate groups' points
 * themselves, in kernel blocks, so an index only has to be conservative, never exact.
 *
 * <p>Memory: the points once ({@code 4·d} bytes each, column-major in index order), 4 bytes per
 * point for its input ordinal, and the index's own groups ({@code O(n)}, far fewer than the points).
 * No pairwise structure is ever held, so memory does not grow with the neighbourhood sizes.
 */
abstract sealed class NeighbourIndex permits GridIndex, KdTree {

    /**
     * Relative slack on every pruning radius. The exact test is the float kernel's {@code Σ (x - c)²},
     * which rounds; pruning a little less than the exact geometry allows means an index never drops a
     * pair the exact test would accept, so every index kind gives the same answer.
     */
    static final double SLACK = 1e-5;

    /** Up to this many features the k-d tree was measured faster, above it the grid (docs/benchmarks.md). */
    static final int AUTO_KDTREE_MAX_DIMENSIONS = 3;

    /** Coordinates, column-major in index order: feature {@code f} of position {@code p} is {@code x[f * n + p]}. */
    final float[] x;
    final int n;
    final int d;
    /** Input ordinal of the point at each position. */
    final int[] ordinal;
    /** Group {@code g} holds positions {@code [groupStart[g], groupStart[g + 1])}. */
    int[] groupStart;

    NeighbourIndex(float[] x, int n, int d, int[] ordinal) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.ordinal = ordinal;
    }

    /**
     * Builds an index over {@code n} points given column-major in input order; the index takes
     * ownership of {@code x} and reorders it.
     *
     * @param radius the query radius the index will mostly serve (the grid's cell side)
     */
    static NeighbourIndex build(SpatialIndex kind, float[] x, int n, int d, double radius) {
        return kind.resolve(d) == SpatialIndex.GRID ? new GridIndex(x, n, d, radius)
                : new KdTree(x, n, d, KdTree.DEFAULT_LEAF_SIZE);
    }

    abstract SpatialIndex kind();

    final int groups() {
        return groupStart.length - 1;
    }

    /**
     * Adds to {@code out}, in a fixed order, every group that may hold a point within {@code radius}
     * of the box {@code [lo, hi]} (a point when {@code lo == hi}).
     */
    abstract void candidates(float[] lo, float[] hi, double radius, IntBuffer out);

    /**
     * Adds to {@code out} every group that may hold a point within {@code radius} of a point
     * of group {@code g}, {@code g} itself included. The relation is symmetric (h is a candidate of g
     * exactly when g is one of h), so a symmetric pass may visit each pair of groups from one side.
     * This default asks {@link #candidates} about the group's bounding box, whose gap to another box
     * is symmetric. {@code lo} and {@code hi} are scratch of {@code d} values.
     */
    void groupCandidates(int g, double radius, float[] lo, float[] hi, IntBuffer out) {
        bounds(g, lo, hi);
        candidates(lo, hi, radius, out);
    }

    /** The tight bounding box of group {@code g}. */
    final void bounds(int g, float[] lo, float[] hi) {
        boundsOf(x, n, d, groupStart[g], groupStart[g + 1], lo, hi);
    }

    /**
     * Copies the points at {@code positions[0 .. count)} column-major into {@code into} (stride
     * {@code count}), the layout the pairwise kernel takes.
     */
    final void gather(int[] positions, int count, float[] into) {
        for (int f = 0; f < d; f++) {
            int from = f * n;
            int to = f * count;
            for (int j = 0; j < count; j++) {
                into[to + j] = x[from + positions[j]];
            }
        }
    }

    /** Min and max per feature of positions {@code [start, end)} of a column-major array of {@code n} rows. */
    static void boundsOf(float[] x, int n, int d, int start, int end, float[] lo, float[] hi) {
        for (int f = 0; f < d; f++) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int p = f * n + start, stop = f * n + end; p < stop; p++) {
                float v = x[p];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            lo[f] = min;
            hi[f] = max;
        }
    }

    /** Squared gap between two boxes (0 when they overlap), a lower bound of every distance between their points. */
    static double boxGap(float[] aLo, float[] aHi, int aOffset, float[] bLo, float[] bHi, int bOffset, int d) {
        double sum = 0;
        for (int f = 0; f < d; f++) {
            double gap = Math.max((double) bLo[bOffset + f] - aHi[aOffset + f], (double) aLo[aOffset + f] - bHi[bOffset + f]);
            if (gap > 0) {
                sum += gap * gap;
            }
        }
        return sum;
    }

    /** The squared pruning limit for a radius: {@code (radius · (1 + SLACK))²}. */
    static double limit(double radius) {
        double r = radius * (1 + SLACK);
        return r * r;
    }

    /**
     * Moves every point {@code r} to position {@code dest[r]} in place, following the permutation's
     * cycles, so no second copy of the points is needed. A position not yet written still holds the
     * input point of the same number, so the point it displaces goes on to {@code dest[position]}.
     */
    static void scatterInPlace(float[] x, int n, int d, int[] dest) {
        BitSet placed = new BitSet(n);
        float[] carried = new float[d];
        float[] displaced = new float[d];
        for (int start = 0; start < n; start++) {
            if (placed.get(start) || dest[start] == start) {
                continue;
            }
            for (int f = 0; f < d; f++) {
                carried[f] = x[f * n + start];
            }
            int at = dest[start];
            while (true) {
                for (int f = 0; f < d; f++) {
                    displaced[f] = x[f * n + at];
                    x[f * n + at] = carried[f];
                }
                placed.set(at);
                if (at == start) {
                    break;
                }
                float[] t = carried;
                carried = displaced;
                displaced = t;
                at = dest[at];
            }
        }
    }

    /** All points of a dataset, column-major in input order, with a check that they fit one Java array. */
    static float[] columnMajor(Dataset data) {
        long rows = data.rows();
        int d = data.dimensions();
        if (rows * d > Integer.MAX_VALUE - 8) {
            throw new BadInputException(rows + " customers x " + d + " features is more than one index can hold ("
                    + (Integer.MAX_VALUE - 8) + " values); select fewer --features or cluster a sample");
        }
        int n = (int) rows;
        float[] x = new float[n * d];
        int at = 0;
        for (FeatureBatch block : data.blocks()) {
            int bn = block.rows();
            float[] v = block.values();
            for (int f = 0; f < d; f++) {
                System.arraycopy(v, f * bn, x, f * n + at, bn);
            }
            at += bn;
        }
        return x;
    }
}
