package dev.segmenta.engine.cli;

import dev.segmenta.engine.prep.Rfm;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.IsoTimestamps;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.io.TableWriter;
import dev.segmenta.io.TransactionOptions;
import dev.segmenta.io.TransactionSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Turns a transaction log into one row of RFM features per customer. */
@Command(name = "rfm",
        header = "Compute recency, frequency and monetary value per customer from a transaction log.",
        description = "Streams the log (customer id, timestamp, amount; Parquet, Arrow or CSV) once and writes one row per "
                + "customer, in the order of their first transaction: customer_id, recency_days (days from the last "
                + "purchase's date to the --as-of date), frequency (purchases), monetary_total and monetary_mean. "
                + "Timestamps are Arrow timestamps or dates, or ISO-8601 text (UTC unless it has an offset). Memory: "
                + "about 32-52 bytes per customer (numeric ids), whatever the number of transactions.",
        footer = {"", "Examples:",
                "  segmenta rfm --transactions transactions.parquet --out rfm.parquet",
                "  segmenta rfm -t orders.csv --timestamp-column ordered_at --as-of 2025-01-01 -o rfm.csv",
                "  segmenta fit --input rfm.parquet --k 5 --log1p frequency,monetary_total,monetary_mean --model rfm-model.json"},
        mixinStandardHelpOptions = true)
final class RfmCommand implements Callable<Integer> {

    /** Customers per written batch (one Parquet row group): large groups read fast. */
    private static final int BLOCK = 131_072;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-t", "--transactions"}, required = true, paramLabel = "FILE",
            description = "Transaction log: .parquet, .arrow/.feather, .arrows or .csv.")
    Path transactions;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Where to write the RFM features (.parquet, .csv, .arrow or .arrows), atomically.")
    Path out;

    @Option(names = "--as-of", paramLabel = "DATE",
            description = "Reference date (yyyy-mm-dd, UTC): recency is counted to it and only transactions before it "
                    + "count (later ones are reported as ignored). Default: the day after the last transaction.")
    String asOf;

    @Option(names = "--id-column", paramLabel = "COL", defaultValue = ReadOptions.DEFAULT_ID_COLUMN,
            description = "Customer id column. Default: ${DEFAULT-VALUE}.")
    String idColumn;

    @Option(names = "--timestamp-column", paramLabel = "COL", defaultValue = "timestamp",
            description = "Purchase time column. Default: ${DEFAULT-VALUE}.")
    String timestampColumn;

    @Option(names = "--amount-column", paramLabel = "COL", defaultValue = "amount",
            description = "Purchase amount column (non-negative). Default: ${DEFAULT-VALUE}.")
    String amountColumn;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Options.tableOutput(spec, "--out", out);
        Long asOfDay = asOf == null ? null : Options.date(spec, "--as-of", asOf);
        long start = System.nanoTime();
        Rfm rfm;
        TransactionOptions options = TransactionOptions.defaults().withColumns(Options.columnName(spec, "--id-column", idColumn),
                Options.columnName(spec, "--timestamp-column", timestampColumn),
                Options.columnName(spec, "--amount-column", amountColumn));
        ColumnType idType;
        try (TransactionSource source = TransactionSource.open(transactions, options)) {
            idType = source.idType();
            rfm = Rfm.compute(source, asOfDay, rows -> output.throttledProgress("read %,d transactions", rows));
        }
        try (TableWriter writer = TableWriter.open(out, List.of(new Column("customer_id", idType),
                new Column("recency_days", ColumnType.INT32), new Column("frequency", ColumnType.INT32),
                new Column("monetary_total", ColumnType.FLOAT64), new Column("monetary_mean", ColumnType.FLOAT64)))) {
            for (int from = 0; from < rfm.customers(); from += BLOCK) {
                Rfm.Block block = rfm.block(from, Math.min(BLOCK, rfm.customers() - from));
                writer.write(block.rows(), block.ids(), block.recencyDays(), block.frequency(), block.monetaryTotal(),
                        block.monetaryMean());
            }
            writer.commit();
        }
        PrintWriter console = spec.commandLine().getOut();
        console.printf(Locale.ROOT, "rfm: %,d customers from %,d transactions as of %s%s in %.2f s -> %s%n",
                rfm.customers(), rfm.transactions(), IsoTimestamps.dateText(rfm.asOfDay()),
                rfm.ignored() == 0 ? "" : String.format(Locale.ROOT, " (%,d transactions on or after it ignored)",
                        rfm.ignored()),
                (System.nanoTime() - start) / 1e9, out);
        console.flush();
        return ExitCodes.OK;
    }
}
