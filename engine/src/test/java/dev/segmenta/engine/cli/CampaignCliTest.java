package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.segmenta.engine.cli.CliTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign loop end to end, through the CLI, on generated data with a known effect: segments
 * ({@code generate}, {@code fit}) → {@code split} → outcomes simulated so that one segment responds to the
 * campaign and the others do not → {@code lift} finds that segment significant and no other, for
 * conversion and for revenue, over several seeds. With Holm's correction each seed's chance of a false
 * finding among the three null segments is at most 5% per metric, and the responding segment's lift is
 * about 6 standard errors, so the seeds below are not picked: most seeds pass.
 */
class CampaignCliTest {

    @TempDir
    Path dir;

    /** One split row: customer, segment, group. */
    private record Member(String id, int segment, boolean test) { }

    private static List<Member> members(Path groupsCsv) throws IOException {
        List<Member> members = new ArrayList<>();
        List<String> lines = Files.readAllLines(groupsCsv);
        assertEquals("customer_id,segment,group", lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            members.add(new Member(cells[0], Integer.parseInt(cells[1]), cells[2].equals("test")));
        }
        return members;
    }

    @Test
    void liftFindsTheSegmentThatRespondsAndNoOther() throws IOException {
        for (int seed = 1; seed <= 3; seed++) {
            Path customers = dir.resolve("c" + seed + ".parquet");
            Path assignments = dir.resolve("a" + seed + ".parquet");
            Path groups = dir.resolve("g" + seed + ".csv");
            ok("generate", "--customers", "24000", "--features", "4", "--segments", "4", "--seed", "" + seed,
                    "--out", customers.toString(), "-q");
            ok("fit", "-i", customers.toString(), "--k", "4", "--seed", "1", "-m", dir.resolve("m" + seed + ".json").toString(),
                    "-a", assignments.toString(), "-q");
            Run split = ok("split", "-a", assignments.toString(), "--control", "0.5", "--seed", "" + seed, "-o", groups.toString());
            assertTrue(split.out().contains("24,000 customers"), split::out);

            int responding = seed % 4;
            SplittableRandom random = new SplittableRandom(100 + seed);
            StringBuilder outcomes = new StringBuilder("customer_id,converted,revenue\n");
            for (Member m : members(groups)) {
                boolean lifted = m.test() && m.segment() == responding;
                boolean converted = random.nextDouble() < (lifted ? 0.16 : 0.10);
                double revenue = converted ? 40 + 10 * random.nextGaussian() + (lifted ? 10 : 0) : 0;
                outcomes.append(m.id()).append(',').append(converted ? 1 : 0).append(',').append(revenue).append('\n');
            }
            Path outcomesFile = Files.writeString(dir.resolve("o" + seed + ".csv"), outcomes);
            Path json = dir.resolve("lift" + seed + ".json");
            Run lift = ok("lift", "-g", groups.toString(), "--outcomes", outcomesFile.toString(), "--conversion-column",
                    "converted", "--revenue-column", "revenue", "--json", json.toString(), "--csv", dir.resolve("l.csv").toString());
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            for (JsonNode metric : report.get("metrics")) {
                for (JsonNode segment : metric.get("segments")) {
                    int s = segment.get("segment").asInt();
                    assertEquals(s == responding, segment.get("significant").asBoolean(),
                            "seed " + seed + ", " + metric.get("metric").asText() + ", segment " + s + "\n" + lift.out());
                }
                // Diluted by the segments that do not respond, the overall lift need not be significant, but it is positive.
                assertTrue(metric.get("overall").get("absoluteLift").get("estimate").asDouble() > 0, lift::out);
            }
            assertTrue(lift.out().contains("p-values adjusted by Holm"), lift::out);
        }
    }

    @Test
    void aCustomerKeepsItsGroupWhenTheBaseGrowsAndTheFormatChanges() throws IOException {
        Path small = dir.resolve("small.csv");
        Path grown = dir.resolve("grown.parquet");
        Tables.write(small, Tables.col("customer_id", 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L),
                Tables.col("segment", 0L, 0L, 1L, 1L, 0L, 1L, 0L, 1L));
        List<Object> ids = new ArrayList<>();
        List<Object> segments = new ArrayList<>();
        for (long id = 11; id < 2011; id++) {
            ids.add(id);
            segments.add(id < 19 ? (long) List.of(0, 0, 1, 1, 0, 1, 0, 1).get((int) (id - 11)) : id % 2);
        }
        Tables.write(grown, Tables.col("customer_id", ids.toArray()), Tables.col("segment", segments.toArray()));
        ok("split", "-a", small.toString(), "--control", "0.5", "--seed", "9", "-o", dir.resolve("g1.csv").toString());
        ok("split", "-a", grown.toString(), "--control", "0.5", "--seed", "9", "-o", dir.resolve("g2.csv").toString());
        Map<String, Boolean> before = new HashMap<>();
        members(dir.resolve("g1.csv")).forEach(m -> before.put(m.id(), m.test()));
        Map<String, Boolean> after = new HashMap<>();
        members(dir.resolve("g2.csv")).forEach(m -> after.put(m.id(), m.test()));
        before.forEach((id, test) -> assertEquals(test, after.get(id), "customer " + id));
        ok("split", "-a", grown.toString(), "--control", "0.5", "--seed", "10", "-o", dir.resolve("g3.csv").toString());
        long moved = members(dir.resolve("g3.csv")).stream().filter(m -> after.get(m.id()) != m.test()).count();
        assertTrue(moved > 800 && moved < 1200, "another seed draws an independent split: " + moved + " of 2000 moved");
    }

    @Test
    void perSegmentSharesAreHonouredAndPrinted() throws IOException {
        List<Object> ids = new ArrayList<>();
        List<Object> segments = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add("cust-" + i);
            segments.add((long) (i % 2));
        }
        Path assignments = Tables.write(dir.resolve("a.arrow"), Tables.col("customer_id", ids.toArray()),
                Tables.col("segment", segments.toArray()));
        Path groups = dir.resolve("g.csv");
        Run run = ok("split", "-a", assignments.toString(), "--control", "0.1", "--control-per-segment", "1=0.3",
                "-o", groups.toString());
        long[][] counts = new long[2][2];
        members(groups).forEach(m -> counts[m.segment()][m.test() ? 0 : 1]++);
        // 10,000 customers each: the binomial standard deviation of the share is 0.3 and 0.46 points.
        assertEquals(0.1, counts[0][1] / 10_000.0, 0.012);
        assertEquals(0.3, counts[1][1] / 10_000.0, 0.018);
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "%,12d", counts[1][1])), run::out);
        assertFalse(run.err().contains("warning"), run::err);
    }
}
