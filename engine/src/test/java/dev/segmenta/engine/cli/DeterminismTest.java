package dev.segmenta.engine.cli;

import dev.segmenta.engine.model.ModelFile;
import dev.segmenta.engine.model.SegmentModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model file of every fitting variant is byte for byte the same for 1, 2 and 7 threads and for a
 * repeated run with the same seed, but for its {@code createdAt} line; and the scalar and SIMD
 * backends agree within the tolerance docs/architecture.md states.
 */
class DeterminismTest {

    @TempDir
    static Path dir;
    static Path input;

    static final List<List<String>> VARIANTS = List.of(
            List.of(),
            List.of("--init", "k-means||"),
            List.of("--algorithm", "minibatch"),
            List.of("--out-of-core"),
            List.of("--weight-column", "tenure_months", "--scale", "minmax"));

    @BeforeAll
    static void customers() {
        input = dir.resolve("customers.parquet");
        ErrorCatalogueTest.Run run = ErrorCatalogueTest.inProcess("generate", "--customers", "40000", "--features", "6",
                "--segments", "5", "--seed", "11", "-o", input.toString(), "-q");
        assertEquals(0, run.code(), run::toString);
    }

    private static byte[] fit(List<String> variant, String threads, String backend, String name) throws Exception {
        Path model = dir.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of("fit", "-i", input.toString(), "--k", "5", "--seed", "3",
                "--n-init", "2", "--threads", threads, "--backend", backend, "-m", model.toString(), "-q"));
        args.addAll(variant);
        ErrorCatalogueTest.Run run = ErrorCatalogueTest.inProcess(args.toArray(String[]::new));
        assertEquals(0, run.code(), run::toString);
        return Files.readAllBytes(model);
    }

    /** The model file without its one line that must differ, the creation time. */
    static String withoutTimestamp(byte[] model) {
        return new String(model, StandardCharsets.UTF_8).replaceFirst("\"createdAt\" : \"[^\"]*\"", "\"createdAt\" : \"\"");
    }

    @Test
    void modelFilesAreBitIdenticalForAnyThreadCountAndRun() throws Exception {
        for (List<String> variant : VARIANTS) {
            String one = withoutTimestamp(fit(variant, "1", "simd", "t1"));
            for (String threads : new String[] {"2", "7", "2"}) {
                assertEquals(one, withoutTimestamp(fit(variant, threads, "simd", "t" + threads)),
                        () -> variant + " with " + threads + " threads");
            }
        }
    }

    /**
     * Backends may round differently (SIMD sums lanes in another order and fuses multiply-adds), so
     * models are compared by value: the same number of iterations, centroids within 1e-4 in the
     * scaled space, inertia within a relative 1e-5, and sizes within 0.01% of the customers (a
     * customer at a near-tie may go either way).
     */
    @Test
    void backendsAgreeWithinTheDocumentedTolerance() throws Exception {
        for (List<String> variant : List.of(List.<String>of(), List.of("--out-of-core"))) {
            SegmentModel scalar = read(fit(variant, "2", "scalar", "scalar"));
            SegmentModel simd = read(fit(variant, "2", "simd", "simd"));
            assertEquals(scalar.iterations(), simd.iterations(), variant::toString);
            float[] a = scalar.flatCentroids();
            float[] b = simd.flatCentroids();
            for (int t = 0; t < a.length; t++) {
                assertEquals(a[t], b[t], 1e-4, variant + " centroid value " + t);
            }
            assertEquals(scalar.inertia(), simd.inertia(), 1e-5 * scalar.inertia(), variant::toString);
            long moved = 0;
            for (int j = 0; j < scalar.k(); j++) {
                moved += Math.abs(scalar.segmentSizes()[j] - simd.segmentSizes()[j]);
            }
            assertTrue(moved <= scalar.trainingRows() / 10_000, () -> variant + ": sizes " + Arrays.toString(scalar.segmentSizes())
                    + " vs " + Arrays.toString(simd.segmentSizes()));
            assertArrayEquals(scalar.scaling().offset(), simd.scaling().offset(), "statistics do not depend on the backend");
        }
    }

    private static SegmentModel read(byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("read.json"), bytes);
        return ModelFile.read(file);
    }
}
