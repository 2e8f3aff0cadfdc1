package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.engine.eval.AdjustedRandIndex;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.segmenta.engine.cli.CliTest.column;
import static dev.segmenta.engine.cli.CliTest.fails;
import static dev.segmenta.engine.cli.CliTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end runs of DBSCAN and hierarchical clustering through the CLI: outputs, models, predict, errors. */
class ClusteringCliTest {

    @TempDir
    static Path dir;
    static Path customers;
    static int[] truth;

    @BeforeAll
    static void generate() {
        customers = dir.resolve("customers.parquet");
        ok("generate", "--customers", "6000", "--features", "3", "--segments", "4", "--seed", "5",
                "--out", customers.toString(), "--quiet");
        truth = column(customers, "true_segment");
    }

    static double ari(int[] a, int[] b) {
        int ka = Arrays.stream(a).max().orElse(0) + 2;
        int kb = Arrays.stream(b).max().orElse(0) + 2;
        AdjustedRandIndex ari = new AdjustedRandIndex(ka, kb);
        // noise (-1) becomes its own label
        ari.add(Arrays.stream(a).map(v -> v + 1).toArray(), Arrays.stream(b).map(v -> v + 1).toArray(), a.length);
        return ari.value();
    }

    static boolean isPng(Path file) throws Exception {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 8);
        return Arrays.equals(head, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    }

    @Test
    void suggestedEpsThenDbscanThenPredict() throws Exception {
        Path curve = dir.resolve("kdist.csv");
        Path plot = dir.resolve("kdist.png");
        CliTest.Run suggest = ok("dbscan", "--suggest-eps", "-i", customers.toString(), "--min-samples", "10",
                "--sample", "3000", "--curve", curve.toString(), "--plot", plot.toString(), "-q");
        Matcher m = Pattern.compile("suggested eps ([0-9.]+)").matcher(suggest.out());
        assertTrue(m.find(), suggest.out());
        String eps = m.group(1);
        assertTrue(suggest.out().contains("--algorithm dbscan --eps " + eps + " --min-samples 10"), suggest.out());
        assertTrue(isPng(plot));
        List<String> lines = Files.readAllLines(curve);
        assertEquals("rank,share,k_distance", lines.get(0));
        assertEquals(3001, lines.size());

        Path model = dir.resolve("dbscan.json");
        Path assignments = dir.resolve("dbscan.csv");
        CliTest.Run fit = ok("fit", "-i", customers.toString(), "--algorithm", "dbscan", "--eps", eps,
                "--min-samples", "10", "--model", model.toString(), "--assignments", assignments.toString(), "-q");
        assertTrue(fit.out().startsWith("dbscan eps="), fit.out());
        int[] labels = column(assignments, "segment");
        assertTrue(ari(truth, labels) >= 0.9, "ARI " + ari(truth, labels));
        SegmentModel dbscan = ModelFile.read(model);
        assertEquals("dbscan", dbscan.algorithm());
        assertNotNull(dbscan.density());
        assertNull(dbscan.hierarchy());
        assertEquals(Double.parseDouble(eps), dbscan.density().eps());
        long noise = Arrays.stream(labels).filter(l -> l < 0).count();
        assertEquals(noise, dbscan.density().noise());
        assertEquals(6000 - noise, Arrays.stream(dbscan.segmentSizes()).sum());

        Path predicted = dir.resolve("dbscan-predicted.csv");
        CliTest.Run predict = ok("predict", "--model", model.toString(), "-i", customers.toString(),
                "--out", predicted.toString());
        assertTrue(predict.out().contains("segment -1: ") && predict.out().contains(" noise"), predict.out());
        int[] again = column(predicted, "segment");
        int differ = 0;
        for (int i = 0; i < labels.length; i++) {
            differ += labels[i] != again[i] ? 1 : 0;
            if (labels[i] < 0) {
                assertEquals(-1, again[i], "noise stays noise, customer " + i);
            }
        }
        // only border points within eps of two segments may change
        assertTrue(differ <= labels.length / 100, differ + " labels changed");
    }

    @Test
    void hierarchicalExactAndTwoStage() throws Exception {
        Path model = dir.resolve("ward.json");
        Path assignments = dir.resolve("ward.arrow");
        Path merges = dir.resolve("merges.csv");
        Path dendrogram = dir.resolve("dendrogram.png");
        CliTest.Run exact = ok("fit", "-i", customers.toString(), "--algorithm", "hierarchical", "--k", "4",
                "--model", model.toString(), "--assignments", assignments.toString(), "--merges", merges.toString(),
                "--dendrogram", dendrogram.toString(), "-q");
        assertTrue(exact.out().startsWith("hierarchical ward k=4 segments of 6,000 customers"), exact.out());
        assertTrue(exact.out().contains("exact, 5999 merges"), exact.out());
        int[] labels = column(assignments, "segment");
        assertTrue(ari(truth, labels) >= 0.95, "ARI " + ari(truth, labels));
        List<String> rows = Files.readAllLines(merges);
        assertEquals("left,right,height,size", rows.get(0));
        assertEquals(6000, rows.size());
        assertTrue(rows.get(5999).endsWith(",6000.0"), rows.get(5999));
        assertTrue(isPng(dendrogram));
        SegmentModel ward = ModelFile.read(model);
        assertEquals("hierarchical", ward.algorithm());
        assertEquals("ward", ward.hierarchy().linkage());
        assertEquals(6000, ward.hierarchy().leaves());
        assertEquals(4, ward.k());

        Path predicted = dir.resolve("ward-predicted.csv");
        ok("predict", "--model", model.toString(), "-i", customers.toString(), "--out", predicted.toString(), "-q");
        assertTrue(ari(labels, column(predicted, "segment")) >= 0.95);

        Path staged = dir.resolve("staged.json");
        Path stagedAssignments = dir.resolve("staged.csv");
        CliTest.Run twoStage = ok("fit", "-i", customers.toString(), "--algorithm", "hierarchical", "--linkage",
                "average", "--k", "4", "--micro-clusters", "300", "--seed", "3", "--model", staged.toString(),
                "--assignments", stagedAssignments.toString(), "-q");
        assertTrue(twoStage.out().contains("dendrogram of 300 micro-clusters"), twoStage.out());
        assertTrue(ari(truth, column(stagedAssignments, "segment")) >= 0.95);
        SegmentModel average = ModelFile.read(staged);
        assertEquals(300, average.hierarchy().microClusters());
        assertEquals("k-means||", average.initialization());
        assertEquals(3, average.seed());

        double height = ward.hierarchy().cutHeight();
        Path byHeight = dir.resolve("height.csv");
        ok("fit", "-i", customers.toString(), "--algorithm", "hierarchical", "--cut-height", Double.toString(height),
                "--model", dir.resolve("height.json").toString(), "--assignments", byHeight.toString(), "-q");
        assertArrayEquals(labels, column(byHeight, "segment"));
    }

    @Test
    void usageErrorsExitWith2() {
        String in = customers.toString();
        String model = dir.resolve("never.json").toString();
        fails(2, "Missing required option: '--eps'", "fit", "-i", in, "--algorithm", "dbscan", "--model", model);
        fails(2, "--eps must be a finite number > 0, got 0.0", "fit", "-i", in, "--algorithm", "dbscan", "--eps", "0",
                "--model", model);
        fails(2, "--eps must be a finite number > 0, got -1.0", "fit", "-i", in, "--algorithm", "dbscan", "--eps", "-1",
                "--model", model);
        fails(2, "--min-samples must be at least 1, got 0", "fit", "-i", in, "--algorithm", "dbscan", "--eps", "0.3",
                "--min-samples", "0", "--model", model);
        fails(2, "--k does not apply to --algorithm dbscan", "fit", "-i", in, "--algorithm", "dbscan", "--eps", "0.3",
                "--k", "3", "--model", model);
        fails(2, "--eps does not apply to --algorithm kmeans", "fit", "-i", in, "--k", "3", "--eps", "0.3",
                "--model", model);
        fails(2, "--linkage does not apply to --algorithm minibatch", "fit", "-i", in, "--algorithm", "minibatch",
                "--k", "3", "--linkage", "ward", "--model", model);
        fails(2, "Missing required option: '--k' or '--cut-height'", "fit", "-i", in, "--algorithm", "hierarchical",
                "--model", model);
        fails(2, "give --k or --cut-height, not both", "fit", "-i", in, "--algorithm", "hierarchical", "--k", "3",
                "--cut-height", "2", "--model", model);
        fails(2, "--n-init does not apply to --algorithm hierarchical without --micro-clusters", "fit", "-i", in,
                "--algorithm", "hierarchical", "--k", "3", "--n-init", "2", "--model", model);
        fails(2, "--dendrogram d.svg: give a .png file name", "fit", "-i", in, "--algorithm", "hierarchical", "--k",
                "3", "--dendrogram", "d.svg", "--model", model);
        fails(2, "--out-of-core does not apply to --algorithm hierarchical", "fit", "-i", in, "--algorithm",
                "hierarchical", "--k", "3", "--out-of-core", "--model", model);
        fails(2, "Invalid value for option '--linkage'", "fit", "-i", in, "--algorithm", "hierarchical", "--k", "3",
                "--linkage", "centroid", "--model", model);
        fails(2, "--cut-height must be a finite number >= 0, got -1.0", "fit", "-i", in, "--algorithm",
                "hierarchical", "--cut-height", "-1", "--model", model);
        fails(2, "--micro-clusters must be 0 or more, got -1", "fit", "-i", in, "--algorithm", "hierarchical",
                "--k", "3", "--micro-clusters", "-1", "--model", model);
        fails(2, "--dendrogram-leaves must be 2 to 200, got 1", "fit", "-i", in, "--algorithm", "hierarchical",
                "--k", "3", "--dendrogram-leaves", "1", "--model", model);
        fails(2, "Invalid value for option '--index'", "fit", "-i", in, "--algorithm", "dbscan", "--eps", "0.3",
                "--index", "balltree", "--model", model);
        fails(2, "--pca does not apply to --algorithm dbscan", "fit", "-i", in, "--algorithm", "dbscan", "--eps", "0.3",
                "--pca", "2", "--model", model);
        fails(2, "Missing required option: '--suggest-eps'", "dbscan", "-i", in);
        fails(2, "--plot k.jpg: give a .png file name", "dbscan", "--suggest-eps", "-i", in, "--plot", "k.jpg");
        assertFalse(Files.exists(Path.of(model)));
    }

    @Test
    void badInputExitsWith3() throws Exception {
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "customer_id,spend,visits\n1,10.5,3\n2,11.0,4\n3,50.0,9\n");
        fails(3, "only 3 customers but --min-samples 5", "dbscan", "--suggest-eps", "-i", tiny.toString());
        fails(3, "lower --k to at most 3", "fit", "-i", tiny.toString(), "--algorithm", "hierarchical", "--k", "4",
                "--model", dir.resolve("t.json").toString());
        fails(3, "--micro-clusters 3 is not below the 3 customers", "fit", "-i", tiny.toString(), "--algorithm",
                "hierarchical", "--k", "2", "--micro-clusters", "3", "--model", dir.resolve("t.json").toString());

        Path model = dir.resolve("edited.json");
        ok("fit", "-i", customers.toString(), "--algorithm", "dbscan", "--eps", "0.3", "--model", model.toString(), "-q");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(model.toFile());
        ((ArrayNode) root.get("density").get("corePoints").get(0)).remove(0);
        json.writeValue(model.toFile(), root);
        fails(3, "invalid model: core point 0 does not have 3 values", "predict", "--model", model.toString(),
                "-i", customers.toString(), "--out", dir.resolve("never.csv").toString());

        Path dbscan = dir.resolve("dbscan-for-evaluate.json");
        ok("fit", "-i", customers.toString(), "--algorithm", "dbscan", "--eps", "0.3", "--model", dbscan.toString(), "-q");
        fails(3, "a DBSCAN model labels customers by its core points", "evaluate", "--model", dbscan.toString(),
                "-i", customers.toString());
        fails(3, "'drift' assigns by nearest centroid", "drift", "--model", dbscan.toString(), "--before",
                customers.toString(), "--after", customers.toString());
    }
}
