package dev.segmenta.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with the TornadoVM backend built in and TornadoVM on the module path (-Ptornado, tag "tornado"). */
@Tag("tornado")
class CliTornadoTest {

    @TempDir
    static Path dir;
    static Path customers;

    /** More customers than the backend keeps on per-block calls, so the fit holds them on the device. */
    @BeforeAll
    static void generate() {
        customers = dir.resolve("customers.parquet");
        CliTest.ok("generate", "--customers", "60000", "--features", "6", "--segments", "4", "--seed", "3",
                "--out", customers.toString(), "--quiet");
    }

    @Test
    void backendsListsTheDevices() {
        CliTest.Run r = CliTest.ok("backends");
        assertTrue(r.out().lines().anyMatch(line -> line.startsWith("tornado    yes")), r.out());
        assertTrue(r.out().contains("device 0:0 "), r.out());
    }

    @Test
    void fitOnTheTornadoBackendGivesTheSimdSegments() throws Exception {
        Path simd = dir.resolve("simd.json");
        Path tornado = dir.resolve("tornado.json");
        String in = customers.toString();
        CliTest.ok("fit", "-i", in, "--k", "4", "--seed", "1", "--model", simd.toString(), "--backend", "simd");
        CliTest.Run r = CliTest.ok("fit", "-i", in, "--k", "4", "--seed", "1", "--model", tornado.toString(),
                "--backend", "tornado", "--device", "0:0");
        assertTrue(r.err().contains("backend tornado: TornadoVM on 0:0"), r.err());
        assertTrue(r.err().contains("60,000 customers resident on"), r.err());
        SegmentModel want = ModelFile.read(simd);
        SegmentModel got = ModelFile.read(tornado);
        assertEquals("tornado", got.backend());
        assertEquals(want.iterations(), got.iterations());
        assertEquals(want.inertia(), got.inertia(), 1e-5 * want.inertia());
        CliTest.fails(2, "no device matches 'nope'", "fit", "-i", in, "--k", "4", "--model", tornado.toString(),
                "--backend", "tornado", "--device", "nope");
    }
}
