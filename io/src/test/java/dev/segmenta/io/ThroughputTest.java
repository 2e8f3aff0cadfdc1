package dev.segmenta.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints rows/s for writing and reading 1M customers (id + 8 float features) in each format; never
 * asserts timings. Run: {@code ./mvnw -pl io verify -Dtest=ThroughputTest -Dsegmenta.io.throughput=true}.
 */
@EnabledIfSystemProperty(named = "segmenta.io.throughput", matches = "true")
class ThroughputTest {

    private static final int ROWS = 1_000_000;
    private static final int FEATURES = 8;
    private static final int BLOCK = 16_384;

    @TempDir
    Path dir;

    @Test
    void printRowsPerSecond() throws IOException {
        List<Column> schema = new ArrayList<>(List.of(new Column("customer_id", ColumnType.INT64)));
        for (int f = 0; f < FEATURES; f++) {
            schema.add(new Column("f" + f, ColumnType.FLOAT32));
        }
        for (String extension : List.of(".parquet", ".arrow", ".arrows", ".csv")) {
            Path file = dir.resolve("customers" + extension);
            long start = System.nanoTime();
            write(file, schema);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            for (int pass = 0; pass < 3; pass++) {
                start = System.nanoTime();
                long rows = 0;
                double checksum = 0;
                try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
                    for (FeatureBatch b = source.next(); b != null; b = source.next()) {
                        rows += b.rows();
                        checksum += b.values()[0];
                    }
                }
                double readSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-9s %,d bytes  write %,.0f rows/s  read(pass %d) %,.0f rows/s  rows=%d checksum=%.1f%n",
                        extension, Files.size(file), ROWS / writeSeconds, pass, rows / readSeconds, rows, checksum);
            }
        }
    }

    private static void write(Path file, List<Column> schema) throws IOException {
        Random random = new Random(42);
        try (TableWriter out = TableWriter.open(file, schema)) {
            Object[] columns = new Object[FEATURES + 1];
            for (int from = 0; from < ROWS; from += BLOCK) {
                int n = Math.min(BLOCK, ROWS - from);
                long[] ids = new long[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = from + i;
                }
                columns[0] = ids;
                for (int f = 0; f < FEATURES; f++) {
                    float[] values = new float[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = random.nextFloat() * 100;
                    }
                    columns[f + 1] = values;
                }
                out.write(n, columns);
            }
            out.commit();
        }
    }
}
