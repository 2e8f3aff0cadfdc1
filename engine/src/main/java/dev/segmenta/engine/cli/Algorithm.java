package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;

/** The algorithms {@code fit --algorithm} runs. */
enum Algorithm {
    KMEANS(Segmenter.Variant.KMEANS),
    MINIBATCH(Segmenter.Variant.MINIBATCH),
    DBSCAN(null),
    HIERARCHICAL(null);

    private final Segmenter.Variant variant;

    Algorithm(Segmenter.Variant variant) {
        this.variant = variant;
    }

    /** The k-means variant, or {@code null} for DBSCAN and hierarchical clustering. */
    Segmenter.Variant variant() {
        return variant;
    }

    /** As written on the command line. */
    String option() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
