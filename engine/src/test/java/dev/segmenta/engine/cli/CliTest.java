package dev.segmenta.engine.cli;

import dev.segmenta.engine.eval.AdjustedRandIndex;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** End-to-end runs of the CLI on generated data: outputs, exit codes and error messages. */
class CliTest {

    @TempDir
    static Path dir;
    static Path customers;

    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SegmentaCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.code(), () -> "exit " + r.code() + "\nstdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    /** Fails unless the run ended with {@code code} and one clear error line (no stack trace). */
    static Run fails(int code, String expectedText, String... args) {
        Run r = run(args);
        assertEquals(code, r.code(), () -> "stdout: " + r.out() + "\nstderr: " + r.err());
        assertTrue(r.err().contains(expectedText), () -> "expected '" + expectedText + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), () -> "stack trace printed: " + r.err());
        return r;
    }

    @BeforeAll
    static void generate() {
        customers = dir.resolve("customers.parquet");
        ok("generate", "--customers", "30000", "--features", "6", "--segments", "4", "--seed", "3",
                "--out", customers.toString(), "--quiet");
    }

    /**
     * The largest int an option takes is a request to refuse or to honour, never an allocation of that
     * size: before, --k 2147483647 asked for a 64 GB heap, --max-iter 2147483647 ran out of memory before
     * the first iteration (an array of iteration times of that length), and --bins 2147483647 threw
     * NegativeArraySizeException.
     */
    @Test
    void extremeOptionValuesAreRefusedOrHonouredWithoutAllocatingThem() {
        String in = customers.toString();
        String most = String.valueOf(Integer.MAX_VALUE);
        fails(3, "only 30000 customers but k=2147483647 segments were asked for; lower --k to at most 30000",
                "fit", "-i", in, "--k", most, "-m", dir.resolve("k.json").toString(), "-q");
        Path model = dir.resolve("iterations.json");
        ok("fit", "-i", in, "--k", "4", "--max-iter", most, "-m", model.toString(), "-q");
        ok("fit", "-i", in, "--k", "4", "--max-iter", most, "--out-of-core", "-m", dir.resolve("ooc.json").toString(), "-q");
        ok("fit", "-i", in, "--k", "4", "--max-iter", most, "--algorithm", "minibatch", "-m",
                dir.resolve("mb.json").toString(), "-q");
        ok("elbow", "-i", in, "--k", "2..3", "--max-iter", most, "-o", dir.resolve("e.json").toString(), "-q");
        fails(2, "--bins must be at most 10000, got 2147483647",
                "drift", "-m", model.toString(), "--before", in, "--after", in, "--bins", most);
        fails(6, "bench --rows 99,999,999,999 need about", "bench", "--rows", "99999999999");
        fails(6, "9,223,372,036,854,775,807 customers x 8 features need about", "demo", "--customers", String.valueOf(Long.MAX_VALUE));
    }

    /** An exact hierarchy records no k-means run: report once failed on its missing seeding (NullPointerException). */
    @Test
    void reportTakesAnExactHierarchy() {
        Path small = dir.resolve("small.csv");
        ok("generate", "--customers", "500", "--features", "3", "--segments", "3", "--out", small.toString(), "-q");
        Path model = dir.resolve("exact.json");
        ok("fit", "-i", small.toString(), "--algorithm", "hierarchical", "--k", "3", "-m", model.toString(), "-q");
        ok("report", "-m", model.toString(), "-i", small.toString(), "-o", dir.resolve("exact.html").toString(), "-q");
        ok("report", "-m", model.toString(), "-i", small.toString(), "--k", "2..4", "-o",
                dir.resolve("exact-elbow.html").toString(), "-q");
    }

    @Test
    void fitRecoversGeneratedSegmentsAndPredictAgrees() throws Exception {
        Path model = dir.resolve("m.json");
        Path assignments = dir.resolve("a.parquet");
        Run fit = ok("fit", "--input", customers.toString(), "--k", "4", "--seed", "1", "--model", model.toString(),
                "--assignments", assignments.toString(), "--threads", "2");
        assertTrue(fit.out().contains("kmeans k=4 segments of 30,000 customers x 6 features"), fit.out());
        assertTrue(fit.err().contains("backend "), "backend choice must be logged: " + fit.err());

        SegmentModel m = ModelFile.read(model);
        assertEquals(List.of("recency_days", "orders_per_year", "annual_spend", "avg_basket", "tenure_months",
                "discount_share"), m.features());
        assertEquals(30_000, m.trainingRows());

        int[] truth = column(customers, "true_segment");
        int[] fitted = column(assignments, "segment");
        AdjustedRandIndex ari = new AdjustedRandIndex(4, 4);
        ari.add(truth, fitted, truth.length);
        assertTrue(ari.value() >= 0.95, "adjusted Rand index " + ari.value());

        Path predicted = dir.resolve("p.csv");
        Run predict = ok("predict", "--model", model.toString(), "--input", customers.toString(),
                "--out", predicted.toString());
        assertTrue(predict.out().contains("assigned 30,000 customers"), predict.out());
        assertArrayEquals(fitted, column(predicted, "segment"));
    }

    @Test
    void sameSeedGivesTheSameModelWhateverTheThreadCount() {
        Path one = dir.resolve("one.json");
        Path two = dir.resolve("two.json");
        ok("fit", "-i", customers.toString(), "--k", "5", "--seed", "9", "--n-init", "2", "--threads", "1",
                "--model", one.toString(), "--quiet");
        ok("fit", "-i", customers.toString(), "--k", "5", "--seed", "9", "--n-init", "2", "--threads", "2",
                "--model", two.toString(), "--quiet");
        SegmentModel a = ModelFile.read(one);
        SegmentModel b = ModelFile.read(two);
        assertArrayEquals(a.flatCentroids(), b.flatCentroids());
        assertEquals(a.inertia(), b.inertia());
        assertEquals(9, a.seed());
    }

    @Test
    void everyKMeansVariantRecoversTheSegments() throws Exception {
        int[] truth = column(customers, "true_segment");
        String[][] variants = {
                {"--algorithm", "minibatch"},
                {"--init", "k-means||"},
                {"--out-of-core"},
                {"--out-of-core", "--init", "k-means||"}};
        for (String[] variant : variants) {
            Path model = dir.resolve("variant.json");
            Path assignments = dir.resolve("variant.arrow");
            List<String> args = new ArrayList<>(List.of("fit", "-i", customers.toString(), "--k", "4", "--seed", "2",
                    "--model", model.toString(), "--assignments", assignments.toString(), "-q"));
            args.addAll(List.of(variant));
            Run fit = ok(args.toArray(new String[0]));
            int[] fitted = column(assignments, "segment");
            assertEquals(truth.length, fitted.length, String.join(" ", variant));
            AdjustedRandIndex ari = new AdjustedRandIndex(4, 4);
            ari.add(truth, fitted, truth.length);
            assertTrue(ari.value() >= 0.95, String.join(" ", variant) + ": adjusted Rand index " + ari.value());
            SegmentModel m = ModelFile.read(model);
            assertEquals(variant[0].equals("--algorithm") ? "minibatch-kmeans" : "kmeans", m.algorithm());
            assertEquals(List.of(variant).contains("k-means||") ? "k-means||" : "k-means++", m.initialization());
            assertTrue(fit.out().startsWith(m.algorithm() + " k=4 segments"), fit.out());
        }
    }

    @Test
    void csvAndArrowInputsWork() {
        for (String name : new String[] {"c.csv", "c.arrow", "c.arrows"}) {
            Path file = dir.resolve(name);
            ok("generate", "--customers", "2000", "--features", "3", "--segments", "2", "--out", file.toString(), "-q");
            ok("fit", "-i", file.toString(), "--k", "2", "--model", dir.resolve(name + ".json").toString(), "-q");
        }
    }

    @Test
    void demoPrintsSummaryProfilesAndRecovery() {
        Run demo = ok("demo", "--customers", "20000", "--k", "3", "--quiet");
        assertTrue(demo.out().contains("k=3 segments of 20,000 customers"), demo.out());
        assertTrue(demo.out().contains("adjusted Rand index"), demo.out());
        assertTrue(demo.out().contains("annual_spend"), demo.out());
    }

    @Test
    void backendsListsScalarAndSimd() {
        Run r = ok("backends");
        assertTrue(r.out().contains("scalar") && r.out().contains("simd"), r.out());
    }

    @Test
    void withoutTheTornadoBuildTheTornadoBackendSaysHowToGetIt() {
        assumeFalse(tornadoBuiltIn(), "built with -Ptornado; CliTornadoTest covers the backend");
        Run r = ok("backends");
        assertTrue(r.out().lines().anyMatch(line -> line.startsWith("tornado") && line.contains("-Ptornado")), r.out());
        String in = customers.toString();
        String model = dir.resolve("t.json").toString();
        fails(2, "not in this build", "fit", "-i", in, "--k", "3", "--model", model, "--backend", "tornado");
        fails(2, "--backend tornado --device 0:0", "fit", "-i", in, "--k", "3", "--model", model, "--device", "0:0");
        fails(2, "has no devices to choose", "fit", "-i", in, "--k", "3", "--model", model, "--backend", "simd",
                "--device", "0:0");
    }

    @Test
    void withTheTornadoBuildButNoTornadoVmTheBackendSaysWhatIsMissing() {
        assumeTrue(tornadoBuiltIn() && ModuleLayer.boot().findModule("tornado.runtime").isEmpty(),
                "needs the -Ptornado build started without TornadoVM's flags");
        fails(2, "TornadoVM is not on this JVM's module path: set TORNADOVM_HOME", "fit", "-i", customers.toString(),
                "--k", "3", "--model", dir.resolve("n.json").toString(), "--backend", "tornado");
    }

    static boolean tornadoBuiltIn() {
        try {
            Class.forName("dev.segmenta.kernels.tornado.TornadoKernelProvider");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void usageErrorsExitWith2() {
        String in = customers.toString();
        String model = dir.resolve("x.json").toString();
        fails(2, "--k must be at least 1", "fit", "-i", in, "--k", "0", "--model", model);
        fails(2, "Unknown option", "fit", "-i", in, "--k", "3", "--model", model, "--bogus");
        fails(2, "Missing required option", "fit", "-i", in, "--model", model);
        fails(2, "--scale must be one of", "fit", "-i", in, "--k", "3", "--model", model, "--scale", "log");
        fails(2, "unknown file type", "fit", "-i", in, "--k", "3", "--model", model, "--assignments",
                dir.resolve("a.xlsx").toString());
        fails(2, "tornado-nope", "fit", "-i", in, "--k", "3", "--model", model, "--backend", "tornado-nope");
        fails(2, "--out-of-core runs Lloyd k-means", "fit", "-i", in, "--k", "3", "--model", model,
                "--out-of-core", "--algorithm", "minibatch");
        fails(2, "not a seeding method", "fit", "-i", in, "--k", "3", "--model", model, "--init", "random");
        fails(2, "--threads must be at least 1", "fit", "-i", in, "--k", "3", "--model", model, "--threads", "0");
    }

    @Test
    void badInputExitsWith3AndNamesTheProblem() throws Exception {
        String model = dir.resolve("y.json").toString();
        fails(3, "no such file", "fit", "-i", dir.resolve("missing.parquet").toString(), "--k", "2", "--model", model);
        fails(3, "'loyalty_tier'", "fit", "-i", customers.toString(), "--k", "2", "--features", "loyalty_tier",
                "--model", model);
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "customer_id,spend,visits\n1,10.5,3\n2,11.0,4\n3,50.0,9\n");
        fails(3, "only 3 customers", "fit", "-i", tiny.toString(), "--k", "4", "--model", model);
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "customer_id,spend,visits\n1,10.5,3\n2,NaN,4\n3,50.0,9\n");
        fails(3, "row 2", "fit", "-i", nan.toString(), "--k", "2", "--model", model);
        fails(3, "no such model file", "predict", "--model", dir.resolve("none.json").toString(),
                "-i", customers.toString(), "--out", dir.resolve("o.csv").toString());
        assertFalse(Files.exists(Path.of(model)), "no model may be written after a failure");
    }

    /**
     * Magnitudes far outside the usual range work under scaling: values around 1e30 (whose squared
     * distances would overflow float32) and spreads around 1e-30 (whose would underflow) are z-scored
     * first, so the two groups are found and the model holds finite centroids in original units.
     */
    @Test
    void extremeMagnitudesWorkUnderScaling() throws Exception {
        Path file = dir.resolve("extreme.csv");
        StringBuilder csv = new StringBuilder("customer_id,spend,share\n");
        for (int i = 0; i < 40; i++) {
            boolean big = i % 2 == 0;
            csv.append(i).append(',').append(big ? 5e30 + i * 1e28 : 1e30 + i * 1e28).append(',')
                    .append(big ? 3e-30 + i * 1e-32 : 1e-30 + i * 1e-32).append('\n');
        }
        Files.writeString(file, csv);
        Path model = dir.resolve("extreme.json");
        Path assignments = dir.resolve("extreme-a.csv");
        ok("fit", "-i", file.toString(), "--k", "2", "-m", model.toString(), "-a", assignments.toString(), "-q");
        int[] segments = column(assignments, "segment");
        for (int i = 2; i < segments.length; i++) {
            assertEquals(segments[i % 2], segments[i], "customer " + i + " is with its group");
        }
        assertTrue(segments[0] != segments[1]);
        SegmentModel m = ModelFile.read(model);
        for (int j = 0; j < 2; j++) {
            double spend = m.scaling().invert(0, m.centroids()[j][0]);
            assertTrue(spend > 5e29 && spend < 6e30, "centroid spend in original units: " + spend);
        }
    }

    @Test
    void unwritableOutputExitsWith4() {
        fails(4, "no-such-dir", "fit", "-i", customers.toString(), "--k", "2",
                "--model", dir.resolve("no-such-dir").resolve("m.json").toString(), "-q");
    }

    /** An integer column of a table, read through the project's own reader. */
    static int[] column(Path file, String name) {
        return java.util.Arrays.stream(values(file, name)).mapToInt(v -> (int) v).toArray();
    }

    /** A numeric column of a table, as float32 then double, read through the project's own reader. */
    static double[] values(Path file, String name) {
        List<Double> values = new ArrayList<>();
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults().withFeatures(List.of(name))
                .withExcluded(Set.of()))) {
            for (FeatureBatch b = source.next(); b != null; b = source.next()) {
                for (int i = 0; i < b.rows(); i++) {
                    values.add((double) b.value(i, 0));
                }
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
