package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segmenta.engine.bench.BenchReport;
import dev.segmenta.engine.bench.BenchResult;
import dev.segmenta.engine.bench.MachineInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code segmenta bench} on a small --rows: every line present, rates consistent with the times. */
class BenchCommandTest {

    @Test
    void jsonReportHasCeilingsPassesAndFitWithConsistentRates() throws Exception {
        CliTest.Run run = CliTest.ok("bench", "--rows", "20000", "--backend", "simd", "--threads", "2", "--json");
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals(2, report.get("threads").asInt());
        assertEquals(20_000, report.get("rows").asLong());
        assertTrue(report.get("machine").get("cores").asInt() >= 1);
        List<String> names = new ArrayList<>();
        for (JsonNode r : report.get("results")) {
            names.add(r.get("benchmark").asText());
            assertTrue(r.get("runs").asInt() >= 1, r.toString());
            assertTrue(r.get("minMs").asDouble() <= r.get("medianMs").asDouble(), r.toString());
            assertTrue(r.get("medianMs").asDouble() <= r.get("maxMs").asDouble(), r.toString());
        }
        assertEquals(List.of("read bandwidth, 256 MB", "FMA ceiling, 12 chains", "Lloyd pass 20k x 8, k=8",
                "Lloyd pass 20k x 32, k=256", "fit 20k x 8, k=8, 20 iterations"), names);
        JsonNode pass = report.get("results").get(3);
        assertEquals("simd", pass.get("backend").asText());
        double seconds = pass.get("medianMs").asDouble() / 1e3;
        // 20k points, 20k * (32 * 4 + 8) bytes and 3 * 20k * 32 * 256 flops per pass
        assertEquals(20_000 / seconds, pass.get("pointsPerSecond").asDouble(), 1e-6 * 20_000 / seconds);
        assertEquals(20_000 * 136 / 1e9 / seconds, pass.get("gbPerSecond").asDouble(), 1e-9 / seconds);
        assertEquals(3.0 * 20_000 * 32 * 256 / 1e9 / seconds, pass.get("gflopsPerSecond").asDouble(), 1e-6 / seconds);
        double fmaCeiling = report.get("results").get(1).get("gflopsPerSecond").asDouble();
        assertEquals(pass.get("gflopsPerSecond").asDouble() / fmaCeiling, pass.get("fmaShare").asDouble(), 1e-9);
        assertTrue(report.get("results").get(4).get("note").asText().startsWith("20 iterations"));
    }

    @Test
    void tableShowsMachineAndOneRowPerResult() {
        BenchReport report = new BenchReport("9.9", new MachineInfo("Test CPU", 2, 8L << 30, "Linux", "25"), 2,
                1_000_000, List.of(new BenchResult("Lloyd pass 1M x 8, k=8", "simd", "Vector API", 20, 3.92, 3.5,
                        4.4, 255e6, 10.2, 49.0, 0.34, 0.22, "1.2 flops/byte")));
        String table = BenchCommand.table(report);
        assertTrue(table.contains("| machine | Test CPU, 2 cores, 8.0 GiB |"), table);
        assertTrue(table.contains("| Lloyd pass 1M x 8, k=8 | simd | Vector API | 3.92 ms | 20 | 255 M | 10.2 | 49.0 | 34% | 22% "
                + "| 1.2 flops/byte |"), table);
    }

    @Test
    void unknownBackendOrTooFewRowsIsAUsageError() {
        CliTest.fails(ExitCodes.USAGE, "no such backend", "bench", "--rows", "1000", "--backend", "nosuch");
        CliTest.fails(ExitCodes.USAGE, "--rows must be at least 8 (the fit has k=8), got 4", "bench", "--rows", "4");
    }
}
