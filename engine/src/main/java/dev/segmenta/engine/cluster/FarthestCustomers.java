package dev.segmenta.engine.cluster;

import java.io.Serial;
import java.io.Serializable;

/**
 * The customers farthest from their centroids in one assignment pass, kept while the data streams
 * past: {@link EmptyClusters}'s policy for data that is not held in memory (the out-of-core passes,
 * Spark partitions). At most {@code capacity} customers are kept, with their coordinates, weight and
 * label, largest squared distance first and earlier customers first on ties; customers with weight
 * 0 are never kept (moving them would empty nothing and fill nothing).
 *
 * <p>Trackers of consecutive parts of the data {@link #merge} in order into the tracker of the whole,
 * so the customers chosen do not depend on how the data was split. Serializable so that a
 * distributed partial result can carry one.
 */
public final class FarthestCustomers implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int capacity;
    private final int d;
    private final float[] dist;
    private final float[] weight;
    private final int[] label;
    private final float[] point;
    private int size;

    /**
     * @param capacity customers to keep: {@code k} is always enough, since at most {@code k - 1}
     *                 clusters can be empty
     * @param d        features per customer
     */
    public FarthestCustomers(int capacity, int d) {
        this.capacity = capacity;
        this.d = d;
        this.dist = new float[capacity];
        this.weight = new float[capacity];
        this.label = new int[capacity];
        this.point = new float[capacity * d];
    }

    /**
     * Offers every customer of a block, in row order.
     *
     * @param x         the block, column-major ({@code x[f * n + i]})
     * @param weights   per-customer weights, or {@code null} for weight 1
     * @param labels    each customer's centroid
     * @param distances its squared distance to that centroid
     */
    public void scan(float[] x, int n, float[] weights, int[] labels, float[] distances) {
        for (int i = 0; i < n; i++) {
            float w = weights == null ? 1f : weights[i];
            if (!(w > 0) || size == capacity && distances[i] <= dist[capacity - 1]) {
                continue;
            }
            int slot = insertionSlot(distances[i]);
            weight[slot] = w;
            label[slot] = labels[i];
            for (int f = 0; f < d; f++) {
                point[slot * d + f] = x[f * n + i];
            }
        }
    }

    /** Adds the customers kept from a later part of the data; ties keep the earlier customer first. */
    public void merge(FarthestCustomers later) {
        for (int e = 0; e < later.size; e++) {
            if (size == capacity && later.dist[e] <= dist[capacity - 1]) {
                break;
            }
            int slot = insertionSlot(later.dist[e]);
            weight[slot] = later.weight[e];
            label[slot] = later.label[e];
            System.arraycopy(later.point, e * d, point, slot * d, d);
        }
    }

    /**
     * Moves the farthest customers, one per cluster, into the clusters that have no weight (lowest
     * cluster index first), taking each customer's weight and coordinates out of its old cluster's sums.
     * A customer sitting on its centroid is never moved.
     *
     * @param counts total weight per cluster, updated
     * @param sums   weighted coordinate sums, {@code sums[j * d + f]}, updated
     */
    public void relocateInto(double[] counts, double[] sums, int k) {
        int next = 0;
        for (int j = 0; j < k && next < size; j++) {
            if (counts[j] > 0) {
                continue;
            }
            if (dist[next] <= 0) {
                break;
            }
            int old = label[next];
            double w = weight[next];
            counts[old] -= w;
            counts[j] += w;
            for (int f = 0; f < d; f++) {
                double v = w * point[next * d + f];
                sums[old * d + f] -= v;
                sums[j * d + f] += v;
            }
            next++;
        }
    }

    /** Makes room after every entry at least as far as {@code v}, dropping the last if full. */
    private int insertionSlot(float v) {
        int slot = Math.min(size, capacity - 1);
        if (size < capacity) {
            size++;
        }
        while (slot > 0 && v > dist[slot - 1]) {
            dist[slot] = dist[slot - 1];
            weight[slot] = weight[slot - 1];
            label[slot] = label[slot - 1];
            System.arraycopy(point, (slot - 1) * d, point, slot * d, d);
            slot--;
        }
        dist[slot] = v;
        return slot;
    }
}
