package dev.segmenta.engine.cli;

import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.generate.CustomerGenerator;
import dev.segmenta.engine.generate.TransactionGenerator;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.IdColumn;
import dev.segmenta.io.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Writes synthetic retail customers with known segments, streamed so any size fits in memory. */
@Command(name = "generate",
        header = "Write synthetic retail customers (or their transactions) with known segments.",
        description = "Writes customer_id, retail-like features (recency_days, orders_per_year, annual_spend, avg_basket, "
                + "tenure_months, discount_share, online_share, return_rate, ...; more are numbered) and true_segment, "
                + "the segment each customer was drawn from ('fit' leaves it out by default). With --transactions N, writes "
                + "instead a transaction log for 'segmenta rfm': customer_id, timestamp (UTC), amount, N rows for "
                + "--customers customers whose purchase rate, basket size and lapse depend on their segment, over "
                + "--from..--to. Generated and written block by block: memory stays bounded for any size. The same seed "
                + "gives the same file.",
        footer = {"", "Examples:",
                "  segmenta generate --customers 1000000 --features 8 --segments 8 --seed 7 --out customers.parquet",
                "  segmenta generate --transactions 10000000 --customers 500000 --segments 5 --out transactions.parquet"},
        mixinStandardHelpOptions = true)
final class GenerateCommand implements Callable<Integer> {

    /** Chunks per write: each Parquet write becomes one row group, and groups of 131,072 rows read fast. */
    private static final int CHUNKS_PER_WRITE = 8;

    @Option(names = "--customers", paramLabel = "N", defaultValue = "1000000",
            description = "Number of customers. Default: ${DEFAULT-VALUE}.")
    long customers;

    @Option(names = "--features", paramLabel = "D", defaultValue = "8",
            description = "Features per customer, at most " + CustomerGenerator.MAX_FEATURES + ". Default: ${DEFAULT-VALUE}.")
    int features;

    @Option(names = "--segments", paramLabel = "K", defaultValue = "8",
            description = "Number of true segments, at most " + CustomerGenerator.MAX_SEGMENTS + ". Default: ${DEFAULT-VALUE}.")
    int segments;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "7",
            description = "Seed; the same seed gives the same file. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--transactions", paramLabel = "N",
            description = "Write a transaction log of N transactions instead of customer features.")
    Long transactions;

    @Option(names = "--from", paramLabel = "DATE", defaultValue = "2023-01-01",
            description = "First day of the transaction log (yyyy-mm-dd, UTC). Default: ${DEFAULT-VALUE}.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", defaultValue = "2024-12-31",
            description = "Last day of the transaction log (inclusive). Default: ${DEFAULT-VALUE}.")
    String to;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Output file (.parquet, .csv, .arrow or .arrows), written atomically.")
    Path out;

    @Mixin
    ThreadOptions threads;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.positive(spec, "--customers", customers);
        Options.positive(spec, "--features", features);
        Options.positive(spec, "--segments", segments);
        Options.atMost(spec, "--features", features, CustomerGenerator.MAX_FEATURES);
        Options.atMost(spec, "--segments", segments, CustomerGenerator.MAX_SEGMENTS);
        Options.tableOutput(spec, "--out", out);
        if (transactions != null) {
            return writeTransactions();
        }
        CustomerGenerator generator = new CustomerGenerator(customers, features, segments, seed);
        List<Column> schema = new ArrayList<>();
        schema.add(new Column("customer_id", ColumnType.INT64));
        for (String name : generator.featureNames()) {
            schema.add(new Column(name, ColumnType.FLOAT32));
        }
        schema.add(new Column("true_segment", ColumnType.INT32));
        DiskSpace.check(out, schema, customers, "--customers");

        long start = System.nanoTime();
        int chunks = generator.chunkCount();
        try (BlockExecutor executor = threads.executor(spec); TableWriter writer = TableWriter.open(out, schema)) {
            CustomerGenerator.Block[] group = new CustomerGenerator.Block[CHUNKS_PER_WRITE];
            for (int first = 0; first < chunks; first += CHUNKS_PER_WRITE) {
                int from = first;
                int count = Math.min(CHUNKS_PER_WRITE, chunks - first);
                executor.forEachBlock(count, c -> group[c] = generator.chunk(from + c));
                write(writer, group, count, features);
                long done = Math.min(customers, (long) (first + count) * CustomerGenerator.CHUNK_ROWS);
                output.throttledProgress("generated %,d of %,d customers", done, customers);
            }
            writer.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        spec.commandLine().getOut().printf(Locale.ROOT,
                "wrote %,d customers x %d features in %d segments to %s in %.2f s%n",
                customers, features, segments, out, seconds);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private int writeTransactions() throws IOException {
        Options.positive(spec, "--transactions", transactions);
        long first = Options.date(spec, "--from", from);
        long last = Options.date(spec, "--to", to);
        if (last < first) {
            throw new ParameterException(spec.commandLine(), "--to " + to + " is before --from " + from);
        }
        TransactionGenerator generator = new TransactionGenerator(transactions, customers, segments, seed, first, last);
        List<Column> schema = List.of(new Column("customer_id", ColumnType.INT64),
                new Column("timestamp", ColumnType.TIMESTAMP), new Column("amount", ColumnType.FLOAT64));
        DiskSpace.check(out, schema, transactions, "--transactions");
        long start = System.nanoTime();
        int chunks = generator.chunkCount();
        try (BlockExecutor executor = threads.executor(spec); TableWriter writer = TableWriter.open(out, schema)) {
            TransactionGenerator.Chunk[] group = new TransactionGenerator.Chunk[CHUNKS_PER_WRITE];
            for (int chunk = 0; chunk < chunks; chunk += CHUNKS_PER_WRITE) {
                int at = chunk;
                int count = Math.min(CHUNKS_PER_WRITE, chunks - chunk);
                executor.forEachBlock(count, c -> group[c] = generator.chunk(at + c));
                write(writer, group, count);
                long done = Math.min(transactions, (long) (chunk + count) * TransactionGenerator.CHUNK_ROWS);
                output.throttledProgress("generated %,d of %,d transactions", done, transactions);
            }
            writer.commit();
        }
        spec.commandLine().getOut().printf(Locale.ROOT,
                "wrote %,d transactions of up to %,d customers in %d segments, %s to %s, to %s in %.2f s%n",
                transactions, customers, segments, from, to, out, (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** Writes {@code count} chunks of transactions as one table batch (one Parquet row group). */
    private static void write(TableWriter writer, TransactionGenerator.Chunk[] group, int count) throws IOException {
        int rows = 0;
        for (int c = 0; c < count; c++) {
            rows += group[c].rows();
        }
        long[] ids = new long[rows];
        long[] times = new long[rows];
        double[] amounts = new double[rows];
        int at = 0;
        for (int c = 0; c < count; c++) {
            int n = group[c].rows();
            System.arraycopy(group[c].ids(), 0, ids, at, n);
            System.arraycopy(group[c].timestamps(), 0, times, at, n);
            System.arraycopy(group[c].amounts(), 0, amounts, at, n);
            at += n;
        }
        writer.write(rows, ids, times, amounts);
    }

    /** Writes {@code count} chunks as one table batch (one Parquet row group). */
    private static void write(TableWriter writer, CustomerGenerator.Block[] group, int count, int d)
            throws IOException {
        int rows = 0;
        for (int c = 0; c < count; c++) {
            rows += group[c].features().rows();
        }
        long[] ids = new long[rows];
        float[][] columns = new float[d][rows];
        int[] truth = new int[rows];
        int at = 0;
        for (int c = 0; c < count; c++) {
            FeatureBatch batch = group[c].features();
            int n = batch.rows();
            System.arraycopy(((IdColumn.Longs) batch.ids()).values(), 0, ids, at, n);
            for (int f = 0; f < d; f++) {
                System.arraycopy(batch.values(), f * n, columns[f], at, n);
            }
            System.arraycopy(group[c].trueSegments(), 0, truth, at, n);
            at += n;
        }
        Object[] values = new Object[d + 2];
        values[0] = ids;
        System.arraycopy(columns, 0, values, 1, d);
        values[d + 1] = truth;
        writer.write(rows, values);
    }
}
