package dev.segmenta.engine.cluster;

import java.util.Locale;

/** Which spatial index answers the radius queries of DBSCAN ({@link Dbscan}, {@link DbscanPredictor}). */
public enum SpatialIndex {

    /**
     * {@link #KDTREE} for up to {@value NeighbourIndex#AUTO_KDTREE_MAX_DIMENSIONS} features, {@link #GRID}
     * above: the faster of the two in the measurements of docs/benchmarks.md (the k-d tree's even
     * leaves beat small grid cells in low dimensions; above, the grid's cells over three coordinates
     * give large distance blocks and the tree prunes less).
     */
    AUTO,
    /** A uniform grid of cells of side at least eps over at most three coordinates ({@link GridIndex}). */
    GRID,
    /** A k-d tree with median splits on the widest coordinate ({@link KdTree}). */
    KDTREE;

    /** The name used on the command line and in model files. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The index kind {@link #AUTO} stands for with {@code d} features. */
    public SpatialIndex resolve(int d) {
        if (this != AUTO) {
            return this;
        }
        return d <= NeighbourIndex.AUTO_KDTREE_MAX_DIMENSIONS ? KDTREE : GRID;
    }
}
