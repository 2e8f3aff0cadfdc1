package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.engine.cli.CliTest.Run;
import dev.segmenta.engine.eval.AdjustedRandIndex;
import dev.segmenta.engine.generate.TransactionGenerator;
import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.io.IsoTimestamps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.segmenta.engine.cli.CliTest.column;
import static dev.segmenta.engine.cli.CliTest.fails;
import static dev.segmenta.engine.cli.CliTest.ok;
import static dev.segmenta.engine.cli.CliTest.run;
import static dev.segmenta.engine.cli.CliTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analyst's workflow end to end on generated data: rfm, preparation, predict with labels, drift. */
class WorkflowCliTest {

    @TempDir
    static Path dir;
    static Path customers;
    static Path moved;

    @BeforeAll
    static void generate() {
        customers = dir.resolve("customers.parquet");
        moved = dir.resolve("moved.parquet");
        ok("generate", "--customers", "20000", "--features", "4", "--segments", "3", "--seed", "3", "--out",
                customers.toString(), "-q");
        ok("generate", "--customers", "20000", "--features", "4", "--segments", "3", "--seed", "4", "--out",
                moved.toString(), "-q");
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void rfmOfAGeneratedLogRecoversTheCustomerSegments() {
        Path log = dir.resolve("transactions.parquet");
        Run generated = ok("generate", "--transactions", "300000", "--customers", "6000", "--segments", "3", "--seed", "5",
                "--out", log.toString(), "-q");
        assertTrue(generated.out().contains("wrote 300,000 transactions"), generated.out());
        Path rfm = dir.resolve("rfm.parquet");
        Run r = ok("rfm", "--transactions", log.toString(), "--out", rfm.toString(), "-q");
        assertTrue(r.out().matches("(?s)rfm: 5,9[0-9]{2} customers from 300,000 transactions as of 202[45]-[0-9-]+ in .*"), r.out());
        double[] frequency = values(rfm, "frequency");
        assertEquals(300_000, java.util.Arrays.stream(frequency).sum());
        assertTrue(java.util.Arrays.stream(values(rfm, "recency_days")).allMatch(v -> v >= 1 && v <= 731));

        Path model = dir.resolve("rfm-model.json");
        Path assignments = dir.resolve("rfm-segments.parquet");
        ok("fit", "-i", rfm.toString(), "--k", "3", "--seed", "1", "--log1p", "frequency,monetary_total,monetary_mean",
                "--model", model.toString(), "--assignments", assignments.toString(), "-q");
        TransactionGenerator truth = new TransactionGenerator(300_000, 6000, 3, 5, IsoTimestamps.parseDate("2023-01-01"),
                IsoTimestamps.parseDate("2024-12-31"));
        double[] ids = values(assignments, "customer_id");
        int[] fitted = column(assignments, "segment");
        int[] expected = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            expected[i] = truth.segmentOf((long) ids[i]);
        }
        AdjustedRandIndex ari = new AdjustedRandIndex(3, 3);
        ari.add(expected, fitted, fitted.length);
        assertTrue(ari.value() > 0.75, "adjusted Rand index " + ari.value() + " (0.82 when written)");
    }

    @Test
    void rfmWritesCsvFromIsoTextAndRejectsBadRowsWithExit3() throws IOException {
        Path log = Files.writeString(dir.resolve("orders.csv"), "client,when,total\n"
                + "x,2024-05-01T12:00:00Z,10.5\ny,2024-05-03,4\nx,2024-05-02 08:00,1.5\n");
        Path out = dir.resolve("orders-rfm.csv");
        ok("rfm", "-t", log.toString(), "--id-column", "client", "--timestamp-column", "when", "--amount-column", "total",
                "--as-of", "2024-05-10", "-o", out.toString(), "-q");
        assertEquals("customer_id,recency_days,frequency,monetary_total,monetary_mean\nx,8,2,12.0,6.0\ny,7,1,4.0,4.0\n",
                Files.readString(out));
        Path badTime = Files.writeString(dir.resolve("bad-time.csv"), "customer_id,timestamp,amount\n1,2024-05-01,1\n2,05/03/2024,2\n");
        fails(3, "row 2, column 'timestamp': '05/03/2024' is not an ISO-8601 date", "rfm", "-t", badTime.toString(),
                "-o", path("x.parquet"));
        Path refund = Files.writeString(dir.resolve("refund.csv"), "customer_id,timestamp,amount\n1,2024-05-01,-1\n");
        fails(3, "row 1, column 'amount' (the amount) is -1.0, negative", "rfm", "-t", refund.toString(), "-o",
                path("x.parquet"));
        fails(2, "--as-of must be a date such as 2024-12-31", "rfm", "-t", log.toString(), "--as-of", "May 10", "-o",
                path("x.parquet"));
        assertFalse(Files.exists(dir.resolve("x.parquet")), "no output after a failure");
    }

    /** The generated customers as CSV with every 50th spend and every 70th recency blanked, and 100 ids repeated. */
    private static Path withGapsAndDuplicates() throws IOException {
        Path plain = dir.resolve("plain.csv");
        ok("generate", "--customers", "3000", "--features", "4", "--segments", "3", "--seed", "3", "--out", plain.toString(), "-q");
        List<String> lines = new ArrayList<>(Files.readAllLines(plain));
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (i % 50 == 0) {
                cells[3] = "";
            }
            if (i % 70 == 0) {
                cells[1] = "";
            }
            lines.set(i, String.join(",", cells));
        }
        for (int i = 1; i <= 100; i++) {
            lines.add(lines.get(i));
        }
        return Files.write(dir.resolve("gaps.csv"), lines);
    }

    @Test
    void fitImputesDeduplicatesAndPredictPreparesTheSameWay() throws IOException {
        Path gaps = withGapsAndDuplicates();
        Path model = dir.resolve("prepared.json");
        Path assignments = dir.resolve("prepared.csv");
        fails(3, "is empty (null); remove the row or fill in the value, or impute it (--impute mean, median, constant or drop)",
                "fit", "-i", gaps.toString(), "--k", "3", "--model", model.toString());
        Run fit = ok("fit", "-i", gaps.toString(), "--k", "3", "--seed", "1", "--impute", "median", "--dedup", "last",
                "--log1p", "annual_spend", "--model", model.toString(), "--assignments", assignments.toString(), "-q");
        assertTrue(fit.out().contains("prepared: 3,100 rows read, 102 missing values imputed (median), "
                + "100 duplicate ids removed (kept last), log1p of annual_spend, 3,000 customers kept"), fit.out());
        SegmentModel m = ModelFile.read(model);
        assertEquals(3000, m.trainingRows());
        assertEquals("median", m.preparation().impute());
        assertEquals(4, m.preparation().fill().length);
        assertEquals(new dev.segmenta.engine.prep.PreparationCounts(3100, 0, 100, 102), m.preparation().training());
        assertTrue(Files.readAllLines(assignments).getFirst().equals("customer_id,segment,segment_label,distance"));

        Path scored = dir.resolve("scored.csv");
        Run predict = ok("predict", "-m", model.toString(), "-i", gaps.toString(), "-o", scored.toString(), "-q");
        assertTrue(predict.out().contains("assigned 3,000 customers"), predict.out());
        assertEquals(Files.readAllLines(assignments), Files.readAllLines(scored), "predict prepares rows as fit did");
        Run everyRow = ok("predict", "-m", model.toString(), "-i", gaps.toString(), "-o", path("all.csv"), "--dedup", "none", "-q");
        assertTrue(everyRow.out().contains("assigned 3,100 customers"), everyRow.out());

        Path streamed = dir.resolve("streamed.csv");
        Run outOfCore = ok("fit", "-i", gaps.toString(), "--k", "3", "--seed", "1", "--impute", "median", "--dedup", "last",
                "--log1p", "annual_spend", "--out-of-core", "--model", path("streamed.json"), "--assignments",
                streamed.toString(), "-q");
        assertTrue(outOfCore.out().contains("100 duplicate ids removed (kept last), log1p of annual_spend, 3,000 customers kept"),
                outOfCore.out());
        AdjustedRandIndex agreement = new AdjustedRandIndex(3, 3);
        agreement.add(column(assignments, "segment"), column(streamed, "segment"), 3000);
        assertEquals(1.0, agreement.value(), 1e-12, "out of core, every pass is prepared the same way");

        Run dropped = ok("fit", "-i", gaps.toString(), "--k", "3", "--impute", "drop", "--dedup", "last", "--model",
                path("drop.json"), "-q");
        assertTrue(dropped.out().contains("97 dropped for missing values"), dropped.out());
    }

    @Test
    void preparationUsageErrorsExitWith2AndBadColumnsWith3() {
        String in = customers.toString();
        String model = path("bad.json");
        fails(2, "--impute constant needs a finite --fill-value", "fit", "-i", in, "--k", "2", "--impute", "constant",
                "--model", model);
        fails(2, "--impute must be one of none, mean, median, constant or drop; got 'mode'", "fit", "-i", in, "--k", "2",
                "--impute", "mode", "--model", model);
        fails(2, "--dedup must be one of none, first or last", "fit", "-i", in, "--k", "2", "--dedup", "newest", "--model", model);
        fails(2, "--fill-value goes with --impute constant", "fit", "-i", in, "--k", "2", "--fill-value", "0", "--model", model);
        fails(2, "--nan-as-missing needs an --impute policy", "fit", "-i", in, "--k", "2", "--nan-as-missing", "--model", model);
        fails(3, "--log1p names 'loyalty', which is not a feature", "fit", "-i", in, "--k", "2", "--log1p", "loyalty",
                "--model", model);
        assertFalse(Files.exists(Path.of(model)));
    }

    @Test
    void labelsFromTheProfilesOrAFileReachTheCrmExport() throws IOException {
        Path model = dir.resolve("labelled.json");
        Path names = Files.writeString(dir.resolve("names.json"), "{\"1\": \"Champions\"}");
        Run fit = ok("fit", "-i", customers.toString(), "--k", "3", "--seed", "1", "--labels", names.toString(),
                "--model", model.toString(), "-q");
        SegmentModel m = ModelFile.read(model);
        assertEquals("Champions", m.segmentLabels().get(1));
        assertTrue(m.segmentLabels().get(0).matches("(high|low) [a-z_]+(, (high|low) [a-z_]+)*"), m.segmentLabels().get(0));
        assertTrue(fit.out().contains("segment 1: Champions"), fit.out());
        Path export = dir.resolve("crm.parquet");
        Path more = Files.writeString(dir.resolve("more.json"), "{\"0\": \"Bargain hunters\"}");
        Run predict = ok("predict", "-m", model.toString(), "-i", customers.toString(), "--labels", more.toString(),
                "-o", export.toString(), "-q");
        assertTrue(predict.out().contains("Bargain hunters") && predict.out().contains("Champions"), predict.out());
        Path csv = dir.resolve("crm.csv");
        ok("predict", "-m", model.toString(), "-i", customers.toString(), "--labels", more.toString(), "-o", csv.toString(), "-q");
        int[] segments = column(export, "segment");
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < 50; i++) {
            String label = segments[i] == 0 ? "Bargain hunters" : segments[i] == 1 ? "Champions" : m.segmentLabels().get(2);
            assertTrue(lines.get(i + 1).contains("," + segments[i] + "," + (label.contains(",") ? "\"" + label + "\"" : label)
                    + ","), lines.get(i + 1));
        }
        Path bad = Files.writeString(dir.resolve("bad-names.json"), "{\"7\": \"Ghosts\"}");
        fails(3, "'7' is not a segment of this model", "fit", "-i", customers.toString(), "--k", "3", "--labels",
                bad.toString(), "--model", path("never.json"));
    }

    @Test
    void driftSaysWhetherToRecluster() throws IOException {
        Path model = dir.resolve("drift-model.json");
        ok("fit", "-i", customers.toString(), "--k", "3", "--seed", "1", "--model", model.toString(), "-q");
        Path report = dir.resolve("drift.json");
        Run same = ok("drift", "-m", model.toString(), "--before", customers.toString(), "--after", customers.toString(),
                "--json", report.toString(), "--fail-on-drift", "-q");
        assertTrue(same.out().contains("the segmentation still fits"), same.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertFalse(json.get("reclusterAdvised").asBoolean());
        assertEquals(0.0, json.get("largestJsd").asDouble(), 1e-12);

        Run shifted = run("drift", "-m", model.toString(), "--before", customers.toString(), "--after", moved.toString(),
                "--json", report.toString(), "--fail-on-drift", "-q");
        assertEquals(ExitCodes.DRIFT, shifted.code(), shifted.err());
        assertTrue(shifted.out().contains("re-clustering advised"), shifted.out());
        json = new ObjectMapper().readTree(report.toFile());
        assertTrue(json.get("reclusterAdvised").asBoolean());
        assertTrue(json.get("largestJsd").asDouble() > 0.1);
        assertEquals(4, json.get("features").size());
        assertEquals(20_000, json.get("after").get("customers").asLong());
        assertEquals(0, ok("drift", "-m", model.toString(), "--before", customers.toString(), "--after", moved.toString(),
                "-q").code(), "without --fail-on-drift a drift is no failure");
        fails(2, "--threshold must be between 0 and 1", "drift", "-m", model.toString(), "--before", customers.toString(),
                "--after", moved.toString(), "--threshold", "2");
        fails(3, "no such file", "drift", "-m", model.toString(), "--before", customers.toString(),
                "--after", path("missing.parquet"));
    }

    @Test
    void formatOneModelsStillPredict() throws IOException {
        Path model = dir.resolve("old.json");
        ok("fit", "-i", customers.toString(), "--k", "2", "--model", model.toString(), "-q");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(model.toFile());
        root.put("formatVersion", 1);
        root.remove("preparation");
        root.remove("segmentLabels");
        json.writeValue(model.toFile(), root);
        Run predict = ok("predict", "-m", model.toString(), "-i", customers.toString(), "-o", path("old.csv"), "-q");
        assertTrue(predict.out().contains("segment 0"), predict.out());
    }
}
