package dev.segmenta.spark;

import dev.segmenta.engine.cli.ExitCodes;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit entry point end to end, in the tests' local session. */
class SparkJobTest {

    @TempDir
    static Path dir;
    private static String customers;

    @BeforeAll
    static void customers() {
        customers = dir.resolve("customers.parquet").toString();
        TestSpark.blobs(TestSpark.corners(3, 3, 5f), 300, 17, 2)
                .select(functions.col("id").as("customer_id"), functions.col("f0").as("recency"),
                        functions.col("f1").as("orders"), functions.col("f2").as("spend"),
                        functions.col("truth").as("true_segment"))
                .write().parquet(customers);
    }

    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SegmentaSparkJob.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void fitsSavesTheModelAndWritesAssignments() throws IOException {
        String model = dir.resolve("model").toString();
        String assignments = dir.resolve("segments.parquet").toString();
        Run run = run("--input", customers, "--k", "3", "--seed", "1", "--model", model, "--assignments", assignments);
        assertEquals(ExitCodes.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("k=3, "), run.out());
        assertTrue(run.out().contains("backend simd"), run.out());
        assertTrue(run.err().contains("input " + customers + ": features recency, orders, spend"), run.err());
        assertTrue(run.err().contains("iteration 1: cost "), run.err());

        PipelineModel loaded = PipelineModel.load(model);
        assertEquals(3, loaded.stages().length, "assembler, scaler, k-means");
        Dataset<Row> written = TestSpark.spark().read().parquet(assignments);
        assertEquals(List.of("customer_id", "segment", "distance"), List.of(written.schema().fieldNames()));
        assertEquals(900, written.count());
        assertEquals(3, written.select("segment").distinct().count());
        try (var listing = Files.list(dir)) {
            assertFalse(listing.anyMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary left");
        }

        Run again = run("--input", customers, "--k", "3", "--model", model);
        assertEquals(ExitCodes.USAGE, again.code());
        assertTrue(again.err().contains("--model " + model + " already exists; pass --overwrite to replace it"),
                again.err());
        assertEquals(ExitCodes.OK, run("--input", customers, "--k", "2", "--scale", "none", "--model", model,
                "--overwrite", "--quiet").code());
        assertEquals(2, ((SegmentaKMeansModel) PipelineModel.load(model).stages()[0]).numClusters());
    }

    @Test
    void badInputAndOptionsHaveTheirExitCodes() {
        String model = dir.resolve("unused").toString();
        Run missing = run("--input", dir.resolve("nothing.parquet").toString(), "--k", "3", "--model", model);
        assertEquals(ExitCodes.BAD_INPUT, missing.code(), missing.err());
        assertTrue(missing.err().contains("PATH_NOT_FOUND"), missing.err());

        Run column = run("--input", customers, "--k", "3", "--features", "recency,loyalty", "--model", model);
        assertEquals(ExitCodes.BAD_INPUT, column.code());
        assertTrue(column.err().contains(": no column named 'loyalty'; available columns: customer_id, recency"),
                column.err());

        String holes = dir.resolve("holes.parquet").toString();
        TestSpark.spark().read().parquet(customers)
                .withColumn("spend", functions.when(functions.col("customer_id").equalTo(7), Double.NaN)
                        .otherwise(functions.col("spend")))
                .write().parquet(holes);
        Run nan = run("--input", holes, "--k", "3", "--model", model);
        assertEquals(ExitCodes.BAD_INPUT, nan.code());
        assertTrue(nan.err().contains(holes + ": column 'spend' is null, NaN or infinite in 1 rows (customer_id 7 "
                + "among them); remove those rows or fill in the values"), nan.err());

        assertEquals(ExitCodes.BAD_INPUT, run("--input", customers, "--k", "901", "--model", model).code());
        assertEquals(ExitCodes.USAGE, run("--input", customers, "--k", "3", "--scale", "log", "--model", model).code());
        assertEquals(ExitCodes.USAGE, run("--input", customers, "--k", "0", "--model", model).code());
        Run backend = run("--input", customers, "--k", "3", "--backend", "gpu", "--model", model);
        assertEquals(ExitCodes.USAGE, backend.code());
        assertTrue(backend.err().contains("no such backend"), backend.err());
        assertFalse(Files.exists(Path.of(model)));
    }

    @Test
    void helpShowsRunnableExamples() {
        Run help = run("--help");
        assertEquals(ExitCodes.OK, help.code());
        assertTrue(help.out().contains("spark-submit --class dev.segmenta.spark.SegmentaSparkJob segmenta-spark.jar"),
                help.out());
    }
}
