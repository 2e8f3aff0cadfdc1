package dev.segmenta.engine.cluster;

/** How each k-means restart picks its starting centroids. */
public enum Initialization {

    /**
     * Greedy k-means++ ({@link KMeansPlusPlus}): the best seeding per pass count for small and medium
     * data, but about {@code k · (3 + ln k)} passes over the data.
     */
    KMEANS_PLUS_PLUS {
        @Override
        CentroidInitializer initializer() {
            return new KMeansPlusPlus();
        }
    },

    /**
     * k-means|| ({@link KMeansParallel}): a few oversampling passes then k-means++ on the weighted
     * candidates; the usual choice for large data (Spark MLlib, cuML).
     */
    KMEANS_PARALLEL {
        @Override
        CentroidInitializer initializer() {
            return new KMeansParallel();
        }
    };

    abstract CentroidInitializer initializer();

    /** The name stored in model files and shown by the CLI. */
    public String label() {
        return this == KMEANS_PLUS_PLUS ? "k-means++" : "k-means||";
    }
}
