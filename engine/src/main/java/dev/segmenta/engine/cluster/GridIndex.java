package dev.segmenta.engine.cluster;

import java.util.Arrays;

/**
 * A uniform grid of cells of side at least {@code eps} over at most {@value #MAX_GRID_DIMENSIONS}
 * coordinates: every point within {@code eps} of a cell lies in that cell or one of its {@code 3^m}
 * neighbours. With {@code d ≤ 3} the grid covers every feature; above, it covers the
 * {@value #MAX_GRID_DIMENSIONS} coordinates with the most cells (the widest relative to eps, which
 * prune best), and the exact distance test on all features filters the rest, which is still correct
 * because a distance over a subset of coordinates never exceeds the full one.
 *
 * <p>The side is eps unless that leaves a typical point in a cell with fewer than
 * {@value #TARGET_OCCUPANCY} others: then the per-cell work (neighbour lookups, a kernel call per
 * cell pair) would cost more than the distances, so the cells grow until a typical point shares its
 * cell with about that many (at most {@value #MAX_GROWTH} times eps). Neighbours stay one cell away.
 *
 * <p>Only non-empty cells exist: a hash table maps a cell's packed coordinates to its group, and
 * groups are numbered in the order their first point appears in the input, so the layout depends
 * only on the data. Building costs two or three passes over the points and one in-place permutation.
 */
final class GridIndex extends NeighbourIndex {

    static final int MAX_GRID_DIMENSIONS = 3;
    /** Points a typical point's cell should hold: measured, see docs/benchmarks.md (DBSCAN's index). */
    static final int TARGET_OCCUPANCY = 32;
    static final double MAX_GROWTH = 16;
    /** Packed cell coordinates must fit in a non-negative long. */
    private static final int KEY_BITS = 62;

    private final Layout layout;
    private final CellTable table;
    /** Packed cell coordinates of each group. */
    private final long[] groupKey;

    GridIndex(float[] x, int n, int d, double eps) {
        super(x, n, d, new int[n]);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("grid cell side must be a finite number > 0, got " + eps);
        }
        float[] lo = new float[d];
        float[] hi = new float[d];
        boundsOf(x, n, d, 0, n, lo, hi);
        Layout first = Layout.of(eps * (1 + SLACK), lo, hi, n, d);
        int[] cellOf = new int[n];
        CellTable cells = hash(first, cellOf);
        double others = occupancy(cells, cellOf);
        Layout chosen = first;
        if (others < TARGET_OCCUPANCY && first.dims.length > 0) {
            double growth = Math.min(MAX_GROWTH,
                    Math.pow(TARGET_OCCUPANCY / Math.max(others, 1e-9), 1.0 / first.dims.length));
            if (growth > 1.25) {
                chosen = Layout.of(first.side * growth, lo, hi, n, d);
                cells = hash(chosen, cellOf);
            }
        }
        this.layout = chosen;
        this.table = cells;
        int groups = table.size();
        this.groupKey = table.keysById();
        int[] count = new int[groups];
        for (int p = 0; p < n; p++) {
            count[cellOf[p]]++;
        }
        groupStart = new int[groups + 1];
        for (int g = 0; g < groups; g++) {
            groupStart[g + 1] = groupStart[g] + count[g];
        }
        int[] next = Arrays.copyOf(groupStart, groups);
        int[] dest = cellOf;
        for (int p = 0; p < n; p++) {
            int position = next[cellOf[p]]++;
            dest[p] = position;
            ordinal[position] = p;
        }
        scatterInPlace(x, n, d, dest);
    }

    /** Each point's cell under {@code layout}, numbered in order of first appearance. */
    private CellTable hash(Layout layout, int[] cellOf) {
        CellTable cells = new CellTable();
        for (int p = 0; p < n; p++) {
            cellOf[p] = cells.idOf(layout.keyOfPoint(x, n, p), true);
        }
        return cells;
    }

    /** The mean, over points, of the number of other points in their cell (which grows with the cell's volume). */
    private double occupancy(CellTable cells, int[] cellOf) {
        long[] count = new long[cells.size()];
        for (int p = 0; p < n; p++) {
            count[cellOf[p]]++;
        }
        double sum = 0;
        for (long c : count) {
            sum += (double) c * c;
        }
        return n == 0 ? 0 : sum / n - 1;
    }

    /**
     * Which coordinates the grid covers and how they are cut and packed into a key.
     *
     * @param side the cell side, at least eps
     */
    private record Layout(double side, int[] dims, double[] origin, long[] cellsPerDim, int[] shift) {

        static Layout of(double side, float[] lo, float[] hi, int n, int d) {
            long[] cells = new long[d];
            Integer[] byCells = new Integer[d];
            for (int f = 0; f < d; f++) {
                cells[f] = n == 0 ? 1 : (long) Math.min(Math.floor(((double) hi[f] - lo[f]) / side) + 1, 1L << KEY_BITS);
                byCells[f] = f;
            }
            Arrays.sort(byCells, (a, b) -> cells[b] != cells[a] ? Long.compare(cells[b], cells[a]) : Integer.compare(a, b));
            int[] chosen = new int[Math.min(d, MAX_GRID_DIMENSIONS)];
            int m = 0;
            int bits = 0;
            for (int i = 0; i < d && m < chosen.length; i++) {
                int f = byCells[i];
                int need = bitsFor(cells[f]);
                if (bits + need <= KEY_BITS) {
                    chosen[m++] = f;
                    bits += need;
                }
            }
            int[] dims = Arrays.copyOf(chosen, m);
            double[] origin = new double[m];
            long[] cellsPerDim = new long[m];
            int[] shift = new int[m];
            int at = 0;
            for (int j = 0; j < m; j++) {
                origin[j] = lo[dims[j]];
                cellsPerDim[j] = cells[dims[j]];
                shift[j] = at;
                at += bitsFor(cellsPerDim[j]);
            }
            return new Layout(side, dims, origin, cellsPerDim, shift);
        }

        long keyOfPoint(float[] x, int n, int p) {
            long key = 0;
            for (int j = 0; j < dims.length; j++) {
                long c = Math.clamp(cell(x[dims[j] * n + p], j), 0, cellsPerDim[j] - 1);
                key |= c << shift[j];
            }
            return key;
        }

        /** Cell coordinate along grid dimension {@code j}; may fall outside the grid for query boxes. */
        long cell(double value, int j) {
            double c = Math.floor((value - origin[j]) / side);
            return c < 0 ? -1 : (long) Math.min(c, cellsPerDim[j]);
        }

        long coordinate(long key, int j) {
            long mask = j + 1 < shift.length ? (1L << shift[j + 1]) - 1 : -1L;
            return (key & mask) >>> shift[j];
        }
    }

    @Override
    SpatialIndex kind() {
        return SpatialIndex.GRID;
    }

    /** The features the grid covers, for diagnostics and tests. */
    int[] gridDimensions() {
        return layout.dims.clone();
    }

    /** The cell side, for diagnostics and tests. */
    double side() {
        return layout.side;
    }

    @Override
    void candidates(float[] lo, float[] hi, double radius, IntBuffer out) {
        int m = layout.dims.length;
        double reach = radius * (1 + SLACK);
        long[] from = new long[m];
        long[] to = new long[m];
        for (int j = 0; j < m; j++) {
            int f = layout.dims[j];
            from[j] = Math.max(0, layout.cell(lo[f] - reach, j));
            to[j] = Math.min(layout.cellsPerDim[j] - 1, layout.cell(hi[f] + reach, j));
            if (from[j] > to[j]) {
                return;
            }
        }
        addCells(from, to, out);
    }

    /** Adds the existing cells of the coordinate box {@code [from, to]}, in odometer order. */
    private void addCells(long[] from, long[] to, IntBuffer out) {
        int m = layout.dims.length;
        long[] at = from.clone();
        while (true) {
            long key = 0;
            for (int j = 0; j < m; j++) {
                key |= at[j] << layout.shift[j];
            }
            int g = table.idOf(key, false);
            if (g >= 0) {
                out.add(g);
            }
            int j = m - 1;
            while (j >= 0 && at[j] == to[j]) {
                at[j] = from[j];
                j--;
            }
            if (j < 0) {
                return;
            }
            at[j]++;
        }
    }

    /**
     * The cell's own neighbours: at most one cell away along every grid coordinate. A radius up to
     * the cell side never reaches farther, and "one cell away" is symmetric by construction.
     */
    @Override
    void groupCandidates(int g, double radius, float[] lo, float[] hi, IntBuffer out) {
        if (radius > layout.side) {
            super.groupCandidates(g, radius, lo, hi, out);
            return;
        }
        int m = layout.dims.length;
        long key = groupKey[g];
        long[] from = new long[m];
        long[] to = new long[m];
        for (int j = 0; j < m; j++) {
            long c = layout.coordinate(key, j);
            from[j] = Math.max(0, c - 1);
            to[j] = Math.min(layout.cellsPerDim[j] - 1, c + 1);
        }
        addCells(from, to, out);
    }

    private static int bitsFor(long cells) {
        return cells <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(cells - 1);
    }

    /** Open-addressing map from packed cell coordinates to cell ids, numbered in insertion order. */
    private static final class CellTable {

        private long[] keys = new long[64];
        private int[] ids = filled(64);
        private int size;

        int size() {
            return size;
        }

        /** Every key, indexed by its id. */
        long[] keysById() {
            long[] byId = new long[size];
            for (int s = 0; s < keys.length; s++) {
                if (ids[s] >= 0) {
                    byId[ids[s]] = keys[s];
                }
            }
            return byId;
        }

        /** The id of {@code key}; a new one when absent and {@code insert}, else -1. */
        int idOf(long key, boolean insert) {
            int mask = keys.length - 1;
            int slot = (int) mix(key) & mask;
            while (ids[slot] >= 0) {
                if (keys[slot] == key) {
                    return ids[slot];
                }
                slot = (slot + 1) & mask;
            }
            if (!insert) {
                return -1;
            }
            keys[slot] = key;
            ids[slot] = size;
            if (++size * 2 > keys.length) {
                grow();
            }
            return size - 1;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldIds = ids;
            keys = new long[oldKeys.length * 2];
            ids = filled(keys.length);
            int mask = keys.length - 1;
            for (int s = 0; s < oldKeys.length; s++) {
                if (oldIds[s] >= 0) {
                    int slot = (int) mix(oldKeys[s]) & mask;
                    while (ids[slot] >= 0) {
                        slot = (slot + 1) & mask;
                    }
                    keys[slot] = oldKeys[s];
                    ids[slot] = oldIds[s];
                }
            }
        }

        private static int[] filled(int length) {
            int[] a = new int[length];
            Arrays.fill(a, -1);
            return a;
        }

        /** MurmurHash3's 64-bit finaliser: neighbouring cells must not land in neighbouring slots. */
        private static long mix(long k) {
            k ^= k >>> 33;
            k *= 0xff51afd7ed558ccdL;
            k ^= k >>> 33;
            k *= 0xc4ceb9fe1a85ec53L;
            k ^= k >>> 33;
            return k;
        }
    }
}
