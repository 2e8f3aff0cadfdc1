package dev.segmenta.engine.cluster;

import dev.segmenta.engine.Reference;

/**
 * The standard k-means iteration: assign every customer to its nearest centroid, then move each
 * centroid to the (weighted) mean of its customers. Both steps happen in one fused pass over the
 * data per iteration: the first accumulates every segment's sums, later ones move only the customers
 * that change segment in the running sums (the kernels' {@code reassign}).
 *
 * <p>Empty clusters: a centroid that loses all its customers is moved onto the customer farthest
 * from its own centroid, which is taken out of its old cluster's sums (scikit-learn's policy), so
 * every returned segment is non-empty as long as there are at least {@code k} distinct customers.
 */
@Reference(authors = "S. P. Lloyd",
        title = "Least squares quantization in PCM",
        booktitle = "IEEE Transactions on Information Theory 28(2)",
        year = 1982,
        url = "https://doi.org/10.1109/TIT.1982.1056489")
final class LloydKMeans extends AbstractKMeans {

    LloydKMeans(KMeansWorkspace ws, float[] initialCentroids, int k) {
        super(ws, initialCentroids, k);
    }

    @Override
    protected Step iterate(int iteration) {
        double inertia = ws.lloydPass(centroids, k);
        EmptyClusters.relocate(ws, k);
        CentroidUpdate update = CentroidUpdate.toMeans(centroids, ws.counts, ws.sums, k, d);
        centroids = update.centroids();
        return new Step(inertia, update.shift());
    }
}
