package dev.segmenta.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoundTripTest {

    static final List<String> EXTENSIONS = List.of(".parquet", ".arrow", ".arrows", ".csv", ".csv.gz");

    @TempDir
    Path dir;

    /** A customer table: id, three float features, a double, an int label to exclude. */
    record Table(long[] longIds, String[] textIds, float[] spend, float[] visits, float[] recency, double[] score,
                 int[] trueSegment) {

        static Table random(int rows, long seed) {
            Random random = new Random(seed);
            Table t = new Table(new long[rows], new String[rows], new float[rows], new float[rows], new float[rows],
                    new double[rows], new int[rows]);
            for (int i = 0; i < rows; i++) {
                t.longIds[i] = 1_000_000_000_000L + i * 7L;
                t.textIds[i] = i % 13 == 0 ? "c,\"" + i + "\"" : "cust-" + i;
                t.spend[i] = random.nextFloat() * 1000;
                t.visits[i] = random.nextInt(50);
                t.recency[i] = (float) random.nextGaussian();
                t.score[i] = random.nextDouble() * 1e-3;
                t.trueSegment[i] = random.nextInt(4);
            }
            return t;
        }

        int rows() {
            return spend.length;
        }
    }

    /** Writes {@code table} in blocks of {@code writeBlock} rows, so Parquet gets several row groups. */
    static Path write(Path file, Table t, ColumnType idType, int writeBlock) throws IOException {
        List<Column> schema = List.of(new Column("customer_id", idType), new Column("spend", ColumnType.FLOAT32),
                new Column("visits", ColumnType.FLOAT32), new Column("true_segment", ColumnType.INT32),
                new Column("recency", ColumnType.FLOAT32), new Column("score", ColumnType.FLOAT64));
        try (TableWriter out = TableWriter.open(file, schema)) {
            for (int from = 0; from < t.rows(); from += writeBlock) {
                int n = Math.min(writeBlock, t.rows() - from);
                Object ids = idType == ColumnType.INT64 ? slice(t.longIds, from, n) : sliceText(t.textIds, from, n);
                out.write(n, ids, slice(t.spend, from, n), slice(t.visits, from, n), slice(t.trueSegment, from, n),
                        slice(t.recency, from, n), slice(t.score, from, n));
            }
            out.commit();
        }
        return file;
    }

    static long[] slice(long[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    static float[] slice(float[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    static int[] slice(int[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    static double[] slice(double[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    static String[] sliceText(String[] a, int from, int n) {
        return java.util.Arrays.copyOfRange(a, from, from + n);
    }

    static List<FeatureBatch> readAll(FeatureSource source) {
        List<FeatureBatch> blocks = new ArrayList<>();
        for (FeatureBatch b = source.next(); b != null; b = source.next()) {
            blocks.add(b);
        }
        assertNull(source.next(), "stays at the end");
        return blocks;
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".pq", ".arrow", ".feather", ".ipc", ".arrows", ".csv", ".csv.gz"})
    void everyFormatRoundTripsWithNumericIdsAndFixedBlocks(String extension) throws IOException {
        Table t = Table.random(1000, 1);
        Path file = write(dir.resolve("customers" + extension), t, ColumnType.INT64, 300);
        ReadOptions options = ReadOptions.defaults().withBlockRows(64).withExcluded(Set.of("true_segment"));
        try (FeatureSource source = FeatureSource.open(file, options)) {
            assertEquals(file, source.file());
            assertEquals(List.of("spend", "visits", "recency", "score"), source.featureNames());
            boolean csv = extension.startsWith(".csv");
            assertEquals(csv ? ColumnType.UTF8 : ColumnType.INT64, source.idType(), "CSV ids are kept as text");
            List<FeatureBatch> blocks = readAll(source);
            assertEquals(16, blocks.size());
            long row = 0;
            for (FeatureBatch b : blocks) {
                assertEquals(row, b.firstRow());
                assertEquals(row + 64 <= 1000 ? 64 : 1000 % 64, b.rows());
                assertEquals(4, b.features());
                assertEquals(b.rows() * 4, b.values().length);
                IdColumn ids = b.ids();
                assertEquals(csv ? IdColumn.Utf8.class : IdColumn.Longs.class, ids.getClass());
                for (int i = 0; i < b.rows(); i++) {
                    int r = (int) (row + i);
                    assertEquals(Long.toString(t.longIds[r]), ids.text(i));
                    assertEquals(t.spend[r], b.value(i, 0));
                    assertEquals(t.visits[r], b.value(i, 1));
                    assertEquals(t.recency[r], b.value(i, 2));
                    assertEquals((float) t.score[r], b.value(i, 3));
                }
                row += b.rows();
            }
        }
        ArrowMemory.assertAllReleased("every Arrow buffer released");
    }

    @ParameterizedTest
    @ValueSource(strings = {".parquet", ".arrow", ".arrows", ".csv", ".csv.gz"})
    void stringIdsRoundTripAndSelectionFollowsTheGivenOrder(String extension) throws IOException {
        Table t = Table.random(257, 2);
        Path file = write(dir.resolve("customers" + extension), t, ColumnType.UTF8, 100);
        ReadOptions options = ReadOptions.defaults().withBlockRows(100).withFeatures(List.of("recency", "true_segment"));
        try (FeatureSource source = FeatureSource.open(file, options)) {
            assertEquals(List.of("recency", "true_segment"), source.featureNames());
            assertEquals(ColumnType.UTF8, source.idType());
            int row = 0;
            for (FeatureBatch b : readAll(source)) {
                var ids = assertInstanceOf(IdColumn.Utf8.class, b.ids());
                for (int i = 0; i < b.rows(); i++, row++) {
                    assertEquals(t.textIds[row], ids.text(i));
                    assertEquals(t.recency[row], b.value(i, 0));
                    assertEquals(t.trueSegment[row], b.value(i, 1));
                }
            }
            assertEquals(257, row);
        }
    }

    @Test
    void withoutAnIdColumnIdsAreRowOrdinals() throws IOException {
        Path file = dir.resolve("no-id.arrows");
        try (TableWriter out = TableWriter.open(file, List.of(new Column("x", ColumnType.FLOAT64)))) {
            out.write(3, (Object) new double[] {1, 2, 3});
            out.write(2, (Object) new double[] {4, 5});
            out.commit();
        }
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults().withBlockRows(4))) {
            List<FeatureBatch> blocks = readAll(source);
            assertArrayEquals(new long[] {0, 1, 2, 3}, ((IdColumn.Longs) blocks.get(0).ids()).values());
            assertEquals(4, ((IdColumn.Longs) blocks.get(1).ids()).values()[0]);
            assertArrayEquals(new float[] {5}, blocks.get(1).values());
        }
    }

    @Test
    void blockingDoesNotDependOnParquetRowGroups() throws IOException {
        Table t = Table.random(5000, 3);
        Path small = write(dir.resolve("small-groups.parquet"), t, ColumnType.INT64, 333);
        Path large = write(dir.resolve("one-group.parquet"), t, ColumnType.INT64, 5000);
        ReadOptions options = ReadOptions.defaults().withBlockRows(1024);
        try (FeatureSource a = FeatureSource.open(small, options); FeatureSource b = FeatureSource.open(large, options)) {
            List<FeatureBatch> blocksA = readAll(a);
            List<FeatureBatch> blocksB = readAll(b);
            assertEquals(5, blocksA.size());
            for (int i = 0; i < blocksA.size(); i++) {
                assertEquals(blocksB.get(i).firstRow(), blocksA.get(i).firstRow());
                assertArrayEquals(blocksB.get(i).values(), blocksA.get(i).values());
            }
            assertEquals(5000 - 4 * 1024, blocksA.get(4).rows());
        }
    }

    @Test
    void nonFiniteValuesPassAsNaNWhenAllowed() throws IOException {
        Path file = dir.resolve("gaps.csv");
        Files.writeString(file, "customer_id,x\n1,1.5\n2,\n3,NaN\n");
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults().withMissing(ReadOptions.Missing.NULLS_AND_NAN))) {
            FeatureBatch b = source.next();
            assertEquals(1.5f, b.value(0, 0));
            assertTrue(Float.isNaN(b.value(1, 0)));
            assertTrue(Float.isNaN(b.value(2, 0)));
        }
    }

    @Test
    void csvIdsKeepTheirTextEvenWhenTheyLookLikeNumbers() throws IOException {
        Path file = dir.resolve("ids.csv");
        Files.writeString(file, "customer_id,x\n007,1\n42,2\nA17,3\n");
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            FeatureBatch b = source.next();
            assertEquals(List.of("007", "42", "A17"), List.of(b.ids().text(0), b.ids().text(1), b.ids().text(2)));
        }
    }

    @Test
    void csvColumnInferredAsIntegerStillReadsLaterDecimals() throws IOException {
        StringBuilder csv = new StringBuilder("customer_id,visits\n");
        for (int i = 0; i < 200_000; i++) {
            csv.append(i).append(',').append(i == 150_000 ? "2.5" : Integer.toString(i % 9)).append('\n');
        }
        Path file = dir.resolve("late-decimal.csv");
        Files.writeString(file, csv);
        float sum = 0;
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            for (FeatureBatch b : readAll(source)) {
                if (b.firstRow() <= 150_000 && 150_000 < b.firstRow() + b.rows()) {
                    sum = b.value((int) (150_000 - b.firstRow()), 0);
                }
            }
        }
        assertEquals(2.5f, sum);
    }

    /**
     * Compressed Arrow IPC, as pyarrow's write_feather writes by default (LZ4) or with zstd: buffers
     * are checked at their uncompressed sizes, and a constant column (zstd shrinks it more than 1000×)
     * stays within the decode budget.
     */
    @ParameterizedTest
    @ValueSource(strings = {"LZ4_FRAME", "ZSTD"})
    void compressedArrowIpc(String codec) throws IOException {
        int rows = 20_000;
        Path file = dir.resolve("compressed-" + codec + ".arrow");
        Schema schema = new Schema(List.of(
                Field.notNullable("customer_id", new ArrowType.Int(64, true)),
                Field.notNullable("spend", new ArrowType.FloatingPoint(
                        FloatingPointPrecision.SINGLE)),
                Field.notNullable("constant", new ArrowType.FloatingPoint(
                        FloatingPointPrecision.SINGLE))));
        Random random = new Random(3);
        float[] spend = new float[rows];
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, Arrow.allocator());
             FileChannel channel = FileChannel.open(file,
                     StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, channel,
                     null, IpcOption.DEFAULT,
                     CommonsCompressionFactory.INSTANCE,
                     CompressionUtil.CodecType.valueOf(codec))) {
            BigIntVector ids = (BigIntVector) root.getVector(0);
            Float4Vector values = (Float4Vector) root.getVector(1);
            Float4Vector constant = (Float4Vector) root.getVector(2);
            for (int i = 0; i < rows; i++) {
                spend[i] = random.nextFloat();
                ids.setSafe(i, 1_000 + i);
                values.setSafe(i, spend[i]);
                constant.setSafe(i, 2.5f);
            }
            root.setRowCount(rows);
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        assertTrue(Files.size(file) < rows * 12L, "the file is compressed (16 bytes a row raw)");
        long read = 0;
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            assertEquals(List.of("spend", "constant"), source.featureNames());
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                for (int r = 0; r < batch.rows(); r++) {
                    // Column-major blocks: feature f of row r at f * rows + r.
                    assertEquals(spend[(int) (batch.firstRow() + r)], batch.values()[r]);
                    assertEquals(2.5f, batch.values()[batch.rows() + r]);
                }
                read += batch.rows();
            }
        }
        assertEquals(rows, read);
    }

    /**
     * A string-view column (Polars writes strings so) before the features: the batch check sizes its
     * views, steps over its data buffers and goes on to check the columns after it.
     */
    @Test
    void stringViewColumnBeforeTheFeatures() throws IOException {
        Path file = dir.resolve("views.arrows");
        Schema schema = new Schema(List.of(
                Field.nullable("region", new ArrowType.Utf8View()),
                Field.notNullable("spend", new ArrowType.FloatingPoint(
                        FloatingPointPrecision.SINGLE))));
        int rows = 3_000;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, Arrow.allocator());
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null,
                     Files.newOutputStream(file))) {
            ViewVarCharVector regions = (ViewVarCharVector) root.getVector(0);
            Float4Vector spend = (Float4Vector) root.getVector(1);
            for (int i = 0; i < rows; i++) {
                // Longer than 12 bytes: kept in a data buffer after the views, not inline.
                regions.setSafe(i, ("region-with-a-long-name-" + i % 7).getBytes(StandardCharsets.UTF_8));
                spend.setSafe(i, i * 0.5f);
            }
            root.setRowCount(rows);
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        long read = 0;
        try (FeatureSource source = FeatureSource.open(file, ReadOptions.defaults())) {
            assertEquals(List.of("spend"), source.featureNames());
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                for (int r = 0; r < batch.rows(); r++) {
                    assertEquals((batch.firstRow() + r) * 0.5f, batch.values()[r]);
                }
                read += batch.rows();
            }
        }
        assertEquals(rows, read);
    }
}
