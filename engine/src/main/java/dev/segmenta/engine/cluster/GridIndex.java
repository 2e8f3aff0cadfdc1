package dev.segmenta.engine.cluster;

import java.util.Arrays;

/**
 * A uniform grid of cells of side {@code eps} over at most {@value #MAX_GRID_DIMENSIONS} coordinates:
 * every point within {@code eps} of a cell lies in that cell or one of its {@code 3^m} neighbours.
 * With {@code d ≤ 3} the grid covers every feature; above, it covers the {@value #MAX_GRID_DIMENSIONS}
 * coordinates with the most cells (the widest relative to eps, which prune best), and the exact
 * distance test on all features filters the rest, which is still correct because a distance over a
 * subset of coordinates never exceeds the full one.
 *
 * <p>Only non-empty cells exist: a hash table maps a cell's packed coordinates to its group, and
 * groups are numbered in the order their first point appears in the input, so the layout depends
 * only on the data. Building costs two passes over the points and one in-place permutation.
 */
final class GridIndex extends NeighbourIndex {

    static final int MAX_GRID_DIMENSIONS = 3;
    /** Packed cell coordinates must fit in a non-negative long. */
    private static final int KEY_BITS = 62;

    private final double side;
    /** The features the grid covers. */
    private final int[] dims;
    private final double[] origin;
    private final long[] cellsPerDim;
    private final int[] shift;
    private final CellTable table;
    /** Packed cell coordinates of each group. */
    private final long[] groupKey;

    GridIndex(float[] x, int n, int d, double eps) {
        super(x, n, d, new int[n]);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("grid cell side must be a finite number > 0, got " + eps);
        }
        this.side = eps * (1 + SLACK);
        float[] lo = new float[d];
        float[] hi = new float[d];
        boundsOf(x, n, d, 0, n, lo, hi);
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
        this.dims = Arrays.copyOf(chosen, m);
        this.origin = new double[m];
        this.cellsPerDim = new long[m];
        this.shift = new int[m];
        int at = 0;
        for (int j = 0; j < m; j++) {
            origin[j] = lo[dims[j]];
            cellsPerDim[j] = cells[dims[j]];
            shift[j] = at;
            at += bitsFor(cellsPerDim[j]);
        }
        this.table = new CellTable();
        int[] cellOf = new int[n];
        int[] count = new int[16];
        for (int p = 0; p < n; p++) {
            int cell = table.idOf(keyOfPoint(p), true);
            if (cell == count.length) {
                count = Arrays.copyOf(count, count.length * 2);
            }
            count[cell]++;
            cellOf[p] = cell;
        }
        int groups = table.size();
        this.groupKey = table.keysById();
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

    @Override
    SpatialIndex kind() {
        return SpatialIndex.GRID;
    }

    /** The features the grid covers, for diagnostics and tests. */
    int[] gridDimensions() {
        return dims.clone();
    }

    @Override
    void candidates(float[] lo, float[] hi, double radius, IntBuffer out) {
        int m = dims.length;
        double reach = radius * (1 + SLACK);
        long[] from = new long[m];
        long[] to = new long[m];
        for (int j = 0; j < m; j++) {
            int f = dims[j];
            from[j] = Math.max(0, cell(lo[f] - reach, j));
            to[j] = Math.min(cellsPerDim[j] - 1, cell(hi[f] + reach, j));
            if (from[j] > to[j]) {
                return;
            }
        }
        addCells(from, to, out);
    }

    /** Adds the existing cells of the coordinate box {@code [from, to]}, in odometer order. */
    private void addCells(long[] from, long[] to, IntBuffer out) {
        int m = dims.length;
        long[] at = from.clone();
        while (true) {
            long key = 0;
            for (int j = 0; j < m; j++) {
                key |= at[j] << shift[j];
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
        if (radius > side) {
            super.groupCandidates(g, radius, lo, hi, out);
            return;
        }
        int m = dims.length;
        long key = groupKey[g];
        long[] from = new long[m];
        long[] to = new long[m];
        for (int j = 0; j < m; j++) {
            long c = coordinate(key, j);
            from[j] = Math.max(0, c - 1);
            to[j] = Math.min(cellsPerDim[j] - 1, c + 1);
        }
        addCells(from, to, out);
    }

    private long coordinate(long key, int j) {
        long mask = j + 1 < shift.length ? (1L << shift[j + 1]) - 1 : -1L;
        return (key & mask) >>> shift[j];
    }

    private long keyOfPoint(int p) {
        long key = 0;
        for (int j = 0; j < dims.length; j++) {
            long c = Math.clamp(cell(x[dims[j] * n + p], j), 0, cellsPerDim[j] - 1);
            key |= c << shift[j];
        }
        return key;
    }

    /** Cell coordinate along grid dimension {@code j}; may fall outside the grid for query boxes. */
    private long cell(double value, int j) {
        double c = Math.floor((value - origin[j]) / side);
        return c < 0 ? -1 : (long) Math.min(c, cellsPerDim[j]);
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
