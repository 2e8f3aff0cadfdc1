package dev.segmenta.engine.cluster;

import java.util.Locale;

/**
 * How agglomerative clustering measures the distance between two clusters, with scipy's
 * definitions (so merge heights are comparable with {@code scipy.cluster.hierarchy.linkage}).
 */
public enum Linkage {
    /**
     * The increase in within-cluster sum of squares a merge causes, as scipy reports it:
     * {@code sqrt(2·|A|·|B| / (|A| + |B|)) · |mean(A) - mean(B)|} ({@link AgglomerativeWard}).
     */
    WARD,
    /** The largest distance between a point of one cluster and a point of the other ({@link AgglomerativeLanceWilliams}). */
    COMPLETE,
    /** The mean distance between the points of the two clusters, UPGMA ({@link AgglomerativeLanceWilliams}). */
    AVERAGE,
    /** The smallest distance between a point of one cluster and a point of the other ({@link AgglomerativeSingle}). */
    SINGLE;

    /** The name used on the command line and in model files. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
