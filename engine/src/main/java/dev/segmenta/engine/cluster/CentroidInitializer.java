package dev.segmenta.engine.cluster;

import java.util.SplittableRandom;

/** Chooses the starting centroids of one k-means restart. */
interface CentroidInitializer {

    /** Returns {@code k * d} centroids, row-major. Implementations check {@code k} against the data. */
    float[] initialCentroids(KMeansWorkspace workspace, int k, SplittableRandom random);
}
