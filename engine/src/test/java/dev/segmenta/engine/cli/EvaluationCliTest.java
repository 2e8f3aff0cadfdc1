package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.segmenta.engine.cli.CliTest.fails;
import static dev.segmenta.engine.cli.CliTest.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end runs of elbow, evaluate, pca, report and fit --pca on generated data. */
class EvaluationCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path customers;
    static Path model;

    @BeforeAll
    static void generateAndFit() {
        customers = dir.resolve("customers.parquet");
        model = dir.resolve("m.json");
        ok("generate", "--customers", "6000", "--features", "5", "--segments", "4", "--seed", "11",
                "--out", customers.toString(), "-q");
        ok("fit", "-i", customers.toString(), "--k", "4", "--seed", "1", "--model", model.toString(), "-q");
    }

    @Test
    void elbowSuggestsTheGeneratedSegmentCountAndAgreesWithFit() throws Exception {
        Path csv = dir.resolve("elbow.csv");
        Path json = dir.resolve("elbow.json");
        Path plot = dir.resolve("elbow.png");
        CliTest.Run run = ok("elbow", "-i", customers.toString(), "--k", "2..8", "--out", csv.toString(),
                "--plot", plot.toString(), "--threads", "2");
        assertTrue(run.out().contains("suggested k = 4"), run.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("k,inertia,iterations,converged,seconds", lines.get(0));
        assertEquals(8, lines.size());
        assertPng(plot);

        ok("elbow", "-i", customers.toString(), "--k", "2..8", "--out", json.toString(), "--fits-at-once", "1", "-q");
        JsonNode curve = JSON.readTree(json.toFile());
        assertEquals(4, curve.get("suggestedK").asInt());
        for (int i = 0; i < 7; i++) {
            assertEquals(Double.parseDouble(lines.get(i + 1).split(",")[1]), curve.get("points").get(i).get("inertia").asDouble(),
                    0, "the curve does not depend on how many fits run at once");
        }
        Path one = dir.resolve("k4.json");
        ok("fit", "-i", customers.toString(), "--k", "4", "--n-init", "1", "--model", one.toString(), "-q");
        assertEquals(ModelFile.read(one).inertia(), curve.get("points").get(2).get("inertia").asDouble(), 0,
                "elbow's k=4 is the fit with the same seed");
    }

    @Test
    void evaluatePrintsEveryMetricAndWritesJson() throws Exception {
        Path json = dir.resolve("evaluation.json");
        CliTest.Run run = ok("evaluate", "-m", model.toString(), "-i", customers.toString(), "--json", json.toString(),
                "--silhouette-sample", "1000");
        assertTrue(run.out().contains("evaluated 6,000 customers x 5 features"), run.out());
        assertTrue(run.out().contains("stratified sample of 1,000 of 6,000 customers"), run.out());
        assertTrue(run.out().contains("calinski-harabasz") && run.out().contains("davies-bouldin"), run.out());
        assertTrue(run.out().contains("most distinguishing features"), run.out());
        JsonNode e = JSON.readTree(json.toFile());
        assertEquals(6000, e.get("customers").asInt());
        assertFalse(e.get("silhouette").get("exact").asBoolean());
        double value = e.get("silhouette").get("value").asDouble();
        assertTrue(value > 0.5 && value < 1, "well separated segments: " + value);
        assertTrue(e.get("silhouette").get("ci95").get(0).asDouble() < value);
        JsonNode segment = e.get("segments").get(0);
        JsonNode spend = segment.get("features").get("annual_spend");
        for (String stat : new String[] {"mean", "median", "min", "max", "standardisedDifference"}) {
            assertNotNull(spend.get(stat), stat);
        }
        assertTrue(spend.get("min").asDouble() <= spend.get("median").asDouble()
                && spend.get("median").asDouble() <= spend.get("max").asDouble(), spend.toString());
        assertEquals(3, segment.get("distinguishingFeatures").size());

        CliTest.Run exact = ok("evaluate", "-m", model.toString(), "-i", customers.toString(), "-q");
        assertTrue(exact.out().contains("(exact: all 6,000 customers"), exact.out());
        double exactValue = number(exact.out(), "(?m)^silhouette +([0-9.]+)");
        double half = e.get("silhouette").get("ci95").get(1).asDouble() - value;
        assertTrue(Math.abs(exactValue - value) <= 2 * half, exactValue + " vs " + value + " ± " + half);
    }

    @Test
    void evaluatePreparesLikePredictAndProfilesLog1pFeaturesInOriginalUnits() throws Exception {
        Path logModel = dir.resolve("log1p.json");
        ok("fit", "-i", customers.toString(), "--k", "4", "--seed", "1", "--log1p", "annual_spend",
                "--model", logModel.toString(), "-q");
        Path json = dir.resolve("log1p-evaluation.json");
        ok("evaluate", "-m", logModel.toString(), "-i", customers.toString(), "--json", json.toString(), "-q");
        double[] spend = columns(customers, List.of("annual_spend"))[0];
        double rawMin = Arrays.stream(spend).min().orElseThrow();
        double rawMax = Arrays.stream(spend).max().orElseThrow();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode segment : JSON.readTree(json.toFile()).get("segments")) {
            JsonNode stats = segment.get("features").get("annual_spend");
            min = Math.min(min, stats.get("min").asDouble());
            max = Math.max(max, stats.get("max").asDouble());
            assertTrue(stats.get("min").asDouble() <= stats.get("median").asDouble()
                    && stats.get("median").asDouble() <= stats.get("max").asDouble(), stats.toString());
        }
        // expm1 undoes log1p exactly up to float rounding of the scaled values
        assertEquals(rawMin, min, 1e-5 * (1 + Math.abs(rawMin)));
        assertEquals(rawMax, max, 1e-5 * rawMax);
    }

    @Test
    void pcaWritesUncorrelatedComponentsWithTheirVariances() {
        Path out = dir.resolve("projected.csv");
        CliTest.Run run = ok("pca", "-i", customers.toString(), "--components", "2", "--out", out.toString());
        assertTrue(run.out().contains("pca of 6,000 customers x 5 features (zscore scaling)"), run.out());
        double ratio1 = number(run.out(), "pc1 +([0-9.]+)%") / 100;
        double[][] pc = columns(out, List.of("pc1", "pc2"));
        assertEquals(6000, pc[0].length);
        double var1 = variance(pc[0]);
        // z-scored data: total variance = 5 features x N/(N-1)
        assertEquals(ratio1 * 5 * 6000 / 5999, var1, 1e-3 * var1);
        assertEquals(0, covariance(pc[0], pc[1]) / Math.sqrt(var1 * variance(pc[1])), 1e-4, "components are uncorrelated");
        fails(2, "more components than the 5 features", "pca", "-i", customers.toString(), "--components", "6",
                "--out", dir.resolve("p6.csv").toString());
    }

    @Test
    void fitWithPcaStoresTheProjectionAndPredictAppliesIt() throws Exception {
        Path pcaModel = dir.resolve("pca.json");
        Path assignments = dir.resolve("pca-assignments.csv");
        CliTest.Run run = ok("fit", "-i", customers.toString(), "--k", "4", "--pca", "3", "--model", pcaModel.toString(),
                "--assignments", assignments.toString(), "-q");
        assertTrue(run.out().contains("explained variance"), run.out());
        SegmentModel m = ModelFile.read(pcaModel);
        assertEquals(3, m.pca().count());
        assertEquals(3, m.centroids()[0].length);
        assertEquals(5, m.features().size());
        Path predicted = dir.resolve("pca-predicted.csv");
        ok("predict", "-m", pcaModel.toString(), "-i", customers.toString(), "--out", predicted.toString(), "-q");
        assertArrayEquals(CliTest.column(assignments, "segment"), CliTest.column(predicted, "segment"));
        CliTest.Run evaluated = ok("evaluate", "-m", pcaModel.toString(), "-i", customers.toString(), "-q");
        assertTrue(evaluated.out().contains("silhouette"), evaluated.out());
        fails(2, "more components than the 5 features", "fit", "-i", customers.toString(), "--k", "4", "--pca", "7",
                "--model", dir.resolve("x.json").toString());
        fails(2, "--pca needs the data in memory", "fit", "-i", customers.toString(), "--k", "4", "--pca", "2",
                "--out-of-core", "--model", dir.resolve("x.json").toString());
    }

    @Test
    void reportIsOneSelfContainedPage() throws Exception {
        Path html = dir.resolve("report.html");
        Path plots = Files.createDirectories(dir.resolve("plots"));
        CliTest.Run run = ok("report", "-m", model.toString(), "-i", customers.toString(), "--k", "2..6",
                "--out", html.toString(), "--plots", plots.toString(), "--silhouette-sample", "800", "-q");
        assertTrue(run.out().contains("5 plots"), run.out());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        for (String section : new String[] {"<h2>Quality</h2>", "<h2>Choosing k</h2>", "suggests <b>k = 4</b>",
                "<h2>Segments</h2>", "<h2>Profiles</h2>", "<h2>Map of the customers</h2>", "annual_spend"}) {
            assertTrue(page.contains(section), section);
        }
        assertEquals(5, page.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(page.contains("<script") || page.contains("http://") || page.contains("https://"),
                "the page must need nothing outside itself");
        for (String name : new String[] {"elbow.png", "sizes.png", "silhouette.png", "profiles.png", "projection.png"}) {
            assertPng(plots.resolve(name));
        }
        Path elbow = dir.resolve("report-elbow.json");
        ok("elbow", "-i", customers.toString(), "--k", "2..6", "--out", elbow.toString(), "-q");
        ok("report", "-m", model.toString(), "-i", customers.toString(), "--elbow", elbow.toString(),
                "--out", dir.resolve("report2.html").toString(), "-q");
        assertTrue(Files.readString(dir.resolve("report2.html")).contains("suggests <b>k = 4</b>"));
    }

    @Test
    void badInputAndUsageFailWithOneLineAndTheDocumentedCode() throws Exception {
        String in = customers.toString();
        String m = model.toString();
        fails(2, "is not a range of k", "elbow", "-i", in, "--k", "5..2");
        fails(2, "is not a range of k", "elbow", "-i", in, "--k", "two..five");
        fails(3, "only 6000 customers but k up to 7000", "elbow", "-i", in, "--k", "2..7000");
        fails(2, "give a .png file name", "elbow", "-i", in, "--k", "2..4", "--plot", dir.resolve("e.jpg").toString());
        fails(2, "--silhouette-sample must be at least 1", "evaluate", "-m", m, "-i", in, "--silhouette-sample", "0");
        fails(3, "no such model file", "evaluate", "-m", dir.resolve("nope.json").toString(), "-i", in);
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "customer_id,spend\n1,2\n2,3\n");
        fails(3, "no column named 'recency_days'", "evaluate", "-m", m, "-i", other.toString());
        Path oneSegment = dir.resolve("one-segment.csv");
        StringBuilder rows = new StringBuilder("customer_id,recency_days,orders_per_year,annual_spend,avg_basket,tenure_months\n");
        for (int i = 0; i < 5; i++) {
            rows.append(i).append(",10,5,100,20,12\n");
        }
        Files.writeString(oneSegment, rows);
        fails(3, "fall into one segment", "evaluate", "-m", m, "-i", oneSegment.toString());
        Path badElbow = dir.resolve("bad-elbow.json");
        Files.writeString(badElbow, "{\"points\": [{\"k\": \"two\"}]}");
        fails(3, "lacks a whole 'k'", "report", "-m", m, "-i", in, "--elbow", badElbow.toString(),
                "--out", dir.resolve("r.html").toString());
        fails(2, "not both", "report", "-m", m, "-i", in, "--elbow", badElbow.toString(), "--k", "2..4",
                "--out", dir.resolve("r.html").toString());
        fails(4, "output directory does not exist", "report", "-m", m, "-i", in,
                "--out", dir.resolve("missing").resolve("r.html").toString());
        assertFalse(Files.exists(dir.resolve("r.html")), "no report may be written after a failure");
    }

    private static void assertPng(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', file + " is not a PNG");
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return Double.parseDouble(m.group(1));
    }

    private static double[][] columns(Path file, List<String> names) {
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults().withFeatures(names)
                .withExcluded(Set.of()))) {
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (FeatureBatch b = source.next(); b != null; b = source.next()) {
                parts.add(Arrays.copyOf(b.values(), b.rows() * names.size()));
                total += b.rows();
            }
            double[][] out = new double[names.size()][total];
            int at = 0;
            for (float[] part : parts) {
                int n = part.length / names.size();
                for (int c = 0; c < names.size(); c++) {
                    for (int i = 0; i < n; i++) {
                        out[c][at + i] = part[c * n + i];
                    }
                }
                at += n;
            }
            return out;
        }
    }

    private static double variance(double[] v) {
        return covariance(v, v);
    }

    private static double covariance(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - ma) * (b[i] - mb);
        }
        return s / (a.length - 1);
    }
}
