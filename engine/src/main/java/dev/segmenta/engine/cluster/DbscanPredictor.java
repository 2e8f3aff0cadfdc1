package dev.segmenta.engine.cluster;

import dev.segmenta.kernels.KMeansKernels;

/**
 * Labels new customers with a fitted DBSCAN model, the usual way (as in hdbscan's and ELKI's
 * out-of-sample rule): a customer within {@code eps} of a core point joins the segment of the
 * nearest such core point (the lowest-numbered on ties); any other customer is noise, {@code -1}.
 * A training customer therefore keeps its label, except a border point within {@code eps} of two
 * segments, which the fit gives to the lower-numbered and this gives to the nearer.
 *
 * <p>The core points go into a {@link NeighbourIndex}; each customer's candidates are the groups
 * within {@code eps} of it, and its distances to their points come from the pairwise kernel.
 * Memory: the core points once more, {@code 4·d + 4} bytes each. Thread-safe: each call to
 * {@link #predict} keeps its search state to itself, so blocks may be labelled in parallel (it is a
 * {@link StreamedAssignment.Labeller}).
 */
public final class DbscanPredictor {

    private static final int TILE = 1024;

    private final NeighbourIndex index;
    private final int[] segmentAt;
    private final KMeansKernels kernels;
    private final double eps;
    private final float eps2;
    private final int d;

    /**
     * @param corePoints   the core points, {@code d} values each, in the model's order
     * @param coreSegments the segment of each
     */
    public DbscanPredictor(float[][] corePoints, int[] coreSegments, int d, double eps, SpatialIndex kind,
                           KMeansKernels kernels) {
        int n = corePoints.length;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                x[f * n + i] = corePoints[i][f];
            }
        }
        this.index = NeighbourIndex.build(kind, x, n, d, eps);
        this.segmentAt = new int[n];
        for (int p = 0; p < n; p++) {
            segmentAt[p] = coreSegments[index.ordinal[p]];
        }
        this.kernels = kernels;
        this.eps = eps;
        this.eps2 = (float) (eps * eps);
        this.d = d;
    }

    /**
     * Labels the {@code n} customers of a column-major block.
     *
     * @param labels           out: segment, or -1
     * @param squaredDistances out: squared distance to that nearest core point, NaN for noise
     */
    public void predict(float[] x, int n, int[] labels, float[] squaredDistances) {
        Search s = new Search(d);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                s.point[f] = x[f * n + i];
            }
            s.groups.clear();
            index.candidates(s.point, s.point, eps, s.groups);
            s.best = Float.POSITIVE_INFINITY;
            s.bestOrdinal = Integer.MAX_VALUE;
            s.bestPosition = -1;
            int count = 0;
            for (int g = 0; g < s.groups.size(); g++) {
                int group = s.groups.get(g);
                for (int p = index.groupStart[group], end = index.groupStart[group + 1]; p < end; p++) {
                    s.positions[count++] = p;
                    if (count == TILE) {
                        scanTile(s, count);
                        count = 0;
                    }
                }
            }
            if (count > 0) {
                scanTile(s, count);
            }
            labels[i] = s.bestPosition >= 0 ? segmentAt[s.bestPosition] : -1;
            squaredDistances[i] = s.bestPosition >= 0 ? s.best : Float.NaN;
        }
    }

    /** Keeps the nearest core point within eps among this tile's and the earlier tiles'. */
    private void scanTile(Search s, int count) {
        index.gather(s.positions, count, s.candidates);
        kernels.pairwiseSquaredDistances(s.point, 1, s.candidates, count, d, s.distances);
        for (int j = 0; j < count; j++) {
            float dist = s.distances[j];
            if (dist <= eps2) {
                int ordinal = index.ordinal[s.positions[j]];
                if (dist < s.best || (dist == s.best && ordinal < s.bestOrdinal)) {
                    s.best = dist;
                    s.bestOrdinal = ordinal;
                    s.bestPosition = s.positions[j];
                }
            }
        }
    }

    /** One call's buffers and the best core point so far for the customer at hand. */
    private static final class Search {
        final float[] point;
        final int[] positions = new int[TILE];
        final float[] candidates;
        final float[] distances = new float[TILE];
        final IntBuffer groups = new IntBuffer();
        float best;
        int bestOrdinal;
        int bestPosition;

        Search(int d) {
            point = new float[d];
            candidates = new float[TILE * d];
        }
    }
}
