package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;

import java.util.Arrays;

/**
 * A k-d tree (Bentley, 1975) over points held column-major: each node splits its points at the
 * median of its widest coordinate, down to leaves of at most {@link #DEFAULT_LEAF_SIZE} points
 * (or any number of identical points). Every node keeps the tight bounding box of its points. The
 * leaves, left to right, are the index's groups.
 *
 * <p>Radius queries return every leaf whose box lies within the radius of the query box; k-nearest
 * queries ({@link #kthNearestSquared}) search depth-first, nearer child first, pruning boxes farther
 * than the current k-th distance. Both visit leaves in a fixed order, so results do not depend on
 * threads. Building costs {@code O(n · d · log n)}: a bounding-box scan and an in-place quickselect
 * per level.
 */
@Reference(authors = "J. L. Bentley",
        title = "Multidimensional binary search trees used for associative searching",
        booktitle = "Communications of the ACM 18(9)",
        year = 1975,
        url = "https://doi.org/10.1145/361002.361007")
final class KdTree extends NeighbourIndex {

    /** Points per leaf: big enough that a leaf-to-leaf distance block keeps the SIMD kernel busy. */
    static final int DEFAULT_LEAF_SIZE = 64;

    private final int leafSize;
    private int nodes;
    private int[] start = new int[64];
    private int[] end = new int[64];
    /** Child nodes, or {@code -1 - group} in {@code left} for a leaf. */
    private int[] left = new int[64];
    private int[] right = new int[64];
    private float[] lo;
    private float[] hi;
    private final IntBuffer leaves = new IntBuffer();

    KdTree(float[] x, int n, int d, int leafSize) {
        super(x, n, d, identity(n));
        if (leafSize < 1) {
            throw new IllegalArgumentException("leaf size must be at least 1, got " + leafSize);
        }
        this.leafSize = leafSize;
        lo = new float[64 * d];
        hi = new float[64 * d];
        if (n > 0) {
            build(0, n);
        }
        groupStart = new int[leaves.size() + 1];
        for (int g = 0; g < leaves.size(); g++) {
            groupStart[g] = start[leaves.get(g)];
        }
        groupStart[leaves.size()] = n;
    }

    @Override
    SpatialIndex kind() {
        return SpatialIndex.KDTREE;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        Arrays.setAll(a, i -> i);
        return a;
    }

    /** Builds the subtree of positions {@code [from, to)}; returns its node. */
    private int build(int from, int to) {
        int node = newNode(from, to);
        int offset = node * d;
        float[] nodeLo = new float[d];
        float[] nodeHi = new float[d];
        boundsOf(x, n, d, from, to, nodeLo, nodeHi);
        System.arraycopy(nodeLo, 0, lo, offset, d);
        System.arraycopy(nodeHi, 0, hi, offset, d);
        int widest = 0;
        double width = -1;
        for (int f = 0; f < d; f++) {
            double w = (double) nodeHi[f] - nodeLo[f];
            if (w > width) {
                width = w;
                widest = f;
            }
        }
        if (to - from <= leafSize || !(width > 0)) {
            left[node] = -1 - leaves.size();
            leaves.add(node);
            return node;
        }
        int mid = (from + to) >>> 1;
        select(from, to, mid, widest);
        int l = build(from, mid);
        int r = build(mid, to);
        left[node] = l;
        right[node] = r;
        return node;
    }

    private int newNode(int from, int to) {
        if (nodes == start.length) {
            int size = nodes * 2;
            start = Arrays.copyOf(start, size);
            end = Arrays.copyOf(end, size);
            left = Arrays.copyOf(left, size);
            right = Arrays.copyOf(right, size);
            lo = Arrays.copyOf(lo, size * d);
            hi = Arrays.copyOf(hi, size * d);
        }
        start[nodes] = from;
        end[nodes] = to;
        return nodes++;
    }

    /**
     * Hoare quickselect on feature {@code f}: afterwards every position in {@code [from, k)} holds a
     * value at most the one at {@code k}, and every position in {@code (k, to)} one at least it.
     */
    private void select(int from, int to, int k, int f) {
        int l = from;
        int r = to - 1;
        int base = f * n;
        while (l < r) {
            float pivot = median(x[base + l], x[base + ((l + r) >>> 1)], x[base + r]);
            int i = l;
            int j = r;
            while (i <= j) {
                while (x[base + i] < pivot) {
                    i++;
                }
                while (x[base + j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (k <= j) {
                r = j;
            } else if (k >= i) {
                l = i;
            } else {
                return;
            }
        }
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private void swap(int i, int j) {
        for (int f = 0; f < d; f++) {
            int a = f * n + i;
            int b = f * n + j;
            float t = x[a];
            x[a] = x[b];
            x[b] = t;
        }
        int t = ordinal[i];
        ordinal[i] = ordinal[j];
        ordinal[j] = t;
    }

    @Override
    void candidates(float[] qLo, float[] qHi, double radius, IntBuffer out) {
        if (nodes == 0) {
            return;
        }
        double limit = limit(radius);
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            if (boxGap(qLo, qHi, 0, lo, hi, node * d, d) > limit) {
                continue;
            }
            if (left[node] < 0) {
                out.add(-1 - left[node]);
                continue;
            }
            if (top + 2 > stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
            }
            stack[top++] = right[node];
            stack[top++] = left[node];
        }
    }

    /**
     * The squared distance from {@code q} to its {@code k}-th nearest point, counting a point at
     * {@code q} itself (so {@code k = 1} gives 0 for a point of the tree). Distances are
     * {@code Σ (x - q)²} in float, as the kernels compute them.
     *
     * @param scratch reusable buffers of one thread
     */
    float kthNearestSquared(float[] q, int k, KnnScratch scratch) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        scratch.reset(k);
        search(0, q, scratch);
        return scratch.heap[0];
    }

    private void search(int node, float[] q, KnnScratch s) {
        if (left[node] < 0) {
            scanLeaf(node, q, s);
            return;
        }
        int a = left[node];
        int b = right[node];
        double gapA = pointGap(q, a);
        double gapB = pointGap(q, b);
        if (gapB < gapA) {
            int t = a;
            a = b;
            b = t;
            double g = gapA;
            gapA = gapB;
            gapB = g;
        }
        if (gapA <= s.bound()) {
            search(a, q, s);
        }
        if (gapB <= s.bound()) {
            search(b, q, s);
        }
    }

    private double pointGap(float[] q, int node) {
        return boxGap(q, q, 0, lo, hi, node * d, d);
    }

    private void scanLeaf(int node, float[] q, KnnScratch s) {
        int from = start[node];
        int count = end[node] - from;
        float[] acc = s.distances(count);
        Arrays.fill(acc, 0, count, 0f);
        for (int f = 0; f < d; f++) {
            float qf = q[f];
            int base = f * n + from;
            for (int i = 0; i < count; i++) {
                float diff = x[base + i] - qf;
                acc[i] += diff * diff;
            }
        }
        for (int i = 0; i < count; i++) {
            s.offer(acc[i]);
        }
    }

    /** One thread's k-nearest search state: a max-heap of the {@code k} smallest distances so far. */
    static final class KnnScratch {

        private float[] heap = new float[16];
        private int size;
        private int k;
        private float[] distances = new float[DEFAULT_LEAF_SIZE];

        void reset(int k) {
            if (heap.length < k) {
                heap = new float[k];
            }
            this.k = k;
            this.size = 0;
        }

        /** Boxes farther than this cannot hold a closer point; infinite until {@code k} are found. */
        double bound() {
            return size < k ? Double.POSITIVE_INFINITY : heap[0] * (1 + 4 * SLACK);
        }

        float[] distances(int count) {
            if (distances.length < count) {
                distances = new float[count];
            }
            return distances;
        }

        void offer(float v) {
            if (size < k) {
                int i = size++;
                heap[i] = v;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (heap[parent] >= heap[i]) {
                        break;
                    }
                    float t = heap[parent];
                    heap[parent] = heap[i];
                    heap[i] = t;
                    i = parent;
                }
            } else if (v < heap[0]) {
                heap[0] = v;
                int i = 0;
                while (true) {
                    int l = 2 * i + 1;
                    if (l >= k) {
                        break;
                    }
                    int c = l + 1 < k && heap[l + 1] > heap[l] ? l + 1 : l;
                    if (heap[c] <= heap[i]) {
                        break;
                    }
                    float t = heap[c];
                    heap[c] = heap[i];
                    heap[i] = t;
                    i = c;
                }
            }
        }
    }
}
