package dev.segmenta.peers;

import elki.clustering.kmeans.initialization.Predefined;
import elki.clustering.kmeans.parallel.ParallelLloydKMeans;
import elki.data.Cluster;
import elki.data.Clustering;
import elki.data.NumberVector;
import elki.data.model.KMeansModel;
import elki.data.type.TypeUtil;
import elki.database.Database;
import elki.database.StaticArrayDatabase;
import elki.database.relation.Relation;
import elki.datasource.ArrayAdapterDatabaseConnection;
import elki.distance.minkowski.SquaredEuclideanDistance;
import elki.parallel.ParallelCore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * ELKI's parallel Lloyd k-means ({@code ParallelLloydKMeans}) from given centroids ({@code Predefined}
 * initialisation), on an in-memory {@code StaticArrayDatabase} of double vectors. ELKI sizes its thread
 * pool from the processors the JVM sees, so compare.py starts this JVM with
 * {@code -XX:ActiveProcessorCount=threads}. ELKI stops when no assignment changes; it has no tolerance.
 */
final class ElkiPeer implements Peer {

    private Relation<NumberVector> relation;

    @Override
    public String name() {
        Properties versions = new Properties();
        InputStream in = ElkiPeer.class.getResourceAsStream("/peer-versions.properties");
        if (in == null) {
            throw new IllegalStateException("peer-versions.properties is missing from the peers build");
        }
        try (in) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "ELKI " + versions.getProperty("elki.version") + " ParallelLloydKMeans";
    }

    @Override
    public int threadsUsed() {
        return ParallelCore.getCore().getParallelism();
    }

    @Override
    public void load(Path file, int d) throws IOException {
        Points points = Points.read(file, d);
        double[][] rows = new double[points.n()][d];
        for (int i = 0; i < points.n(); i++) {
            for (int f = 0; f < d; f++) {
                rows[i][f] = points.get(i, f);
            }
        }
        Database db = new StaticArrayDatabase(new ArrayAdapterDatabaseConnection(rows), null);
        db.initialize();
        relation = db.getRelation(TypeUtil.NUMBER_VECTOR_FIELD);
    }

    @Override
    public Fit fit(float[] initial, int k, int iterations) {
        int d = initial.length / k;
        double[][] means = new double[k][d];
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                means[j][f] = initial[j * d + f];
            }
        }
        Clustering<KMeansModel> clustering = new ParallelLloydKMeans<NumberVector>(SquaredEuclideanDistance.STATIC, k,
                iterations, new Predefined(means)).run(relation);
        float[] result = new float[k * d];
        int j = 0;
        for (Cluster<KMeansModel> cluster : clustering.getAllClusters()) {
            double[] mean = cluster.getModel().getMean();
            for (int f = 0; f < d; f++) {
                result[j * d + f] = (float) mean[f];
            }
            j++;
        }
        return new Fit(result, iterations);
    }
}
