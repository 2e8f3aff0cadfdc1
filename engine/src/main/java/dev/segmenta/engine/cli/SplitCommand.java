package dev.segmenta.engine.cli;

import dev.segmenta.engine.campaign.Arm;
import dev.segmenta.engine.campaign.HoldoutSplit;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import dev.segmenta.io.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Holds a control group out of a campaign, in every segment. */
@Command(name = "split",
        header = "Split customers into a campaign's test and control groups, stratified by segment.",
        description = "Reads assignments (customer_id and segment, as 'fit --assignments' and 'predict --out' write them; "
                + "Parquet, Arrow or CSV) once, streaming, and writes customer_id, segment and group ('test' or "
                + "'control'). A customer is in control when a keyed hash of its id (SipHash-2-4, keyed by --seed), "
                + "mapped to [0, 1), falls below its segment's control share: the split depends on nothing but the seed, "
                + "the id and the share, so re-running it next month on a grown base keeps every customer's group, and "
                + "raising a share only moves customers into control. Each segment's control share is binomial around "
                + "the asked one (10% of 10,000 customers: within about ±0.6 points). Prints the sizes per segment and "
                + "group. Memory: one block of rows, whatever the number of customers.",
        footer = {"", "Examples:",
                "  segmenta generate --customers 100000 --features 4 --segments 4 --seed 7 --out customers.parquet",
                "  segmenta fit --input customers.parquet --k 4 --seed 1 --model model.json --assignments segments.parquet",
                "  segmenta split --assignments segments.parquet --control 0.1 --seed 2025 --out groups.parquet",
                "  segmenta split -a segments.parquet --control 0.1 --control-per-segment 0=0.2,3=0.05 --seed 2025 -o groups.csv"},
        mixinStandardHelpOptions = true)
final class SplitCommand implements Callable<Integer> {

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-a", "--assignments"}, required = true, paramLabel = "FILE",
            description = "Customers and their segments: .parquet, .arrow/.feather, .arrows or .csv with the id column and "
                    + "'segment' (other columns, such as segment_label and distance, are not read).")
    Path assignments;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Where to write customer_id, segment, group (.parquet, .csv, .arrow or .arrows), atomically.")
    Path out;

    @Option(names = "--control", paramLabel = "SHARE", defaultValue = "0.1",
            description = "Share of each segment held out as control, from 0 to 1. Default: ${DEFAULT-VALUE}.")
    double control;

    @Option(names = "--control-per-segment", split = ",", paramLabel = "SEGMENT=SHARE",
            description = "Control shares of particular segments, e.g. 0=0.2,3=0.05; the others get --control.")
    Map<Integer, Double> perSegment = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Keys the hash that draws the groups. Keep it from one campaign wave to the next so customers "
                    + "keep their groups; change it for a fresh, independent split. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--id-column", paramLabel = "COL", defaultValue = ReadOptions.DEFAULT_ID_COLUMN,
            description = "Customer id column. Default: ${DEFAULT-VALUE}.")
    String idColumn;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        share("--control", control);
        perSegment.forEach((segment, share) -> share("--control-per-segment " + segment + "=", share));
        Options.tableOutput(spec, "--out", out);
        HoldoutSplit split = new HoldoutSplit(seed, control, perSegment);
        long start = System.nanoTime();
        SortedMap<Integer, long[]> sizes = new TreeMap<>();
        ReadOptions options = ReadOptions.defaults().withFeatures(List.of(HoldoutSplit.SEGMENT_COLUMN))
                .withExcluded(Set.of()).withIdColumn(idColumn);
        try (FeatureSource source = FeatureSource.open(assignments, options)) {
            if (!source.hasIdColumn()) {
                throw new BadInputException(assignments + ": has no id column '" + idColumn + "'; a split needs the "
                        + "customers' ids, so that they keep their groups (name the column with --id-column)");
            }
            try (TableWriter writer = TableWriter.open(out, List.of(new Column(idColumn, source.idType()),
                    new Column(HoldoutSplit.SEGMENT_COLUMN, ColumnType.INT32),
                    new Column(HoldoutSplit.GROUP_COLUMN, ColumnType.UTF8)))) {
                long customers = 0;
                for (FeatureBatch block = source.next(); block != null; block = source.next()) {
                    int[] segments = new int[block.rows()];
                    String[] groups = new String[block.rows()];
                    for (int i = 0; i < block.rows(); i++) {
                        segments[i] = segment(block, i);
                        Arm arm = split.arm(block.ids(), i, segments[i]);
                        groups[i] = arm.label();
                        sizes.computeIfAbsent(segments[i], s -> new long[2])[arm.ordinal()]++;
                    }
                    writer.write(block.rows(), block.ids(), segments, groups);
                    customers += block.rows();
                    output.throttledProgress("%s: split %,d customers", assignments, customers);
                }
                writer.commit();
            }
        }
        for (int segment : perSegment.keySet()) {
            if (!sizes.containsKey(segment)) {
                output.warning("--control-per-segment names segment %d, which has no customers in %s", segment, assignments);
            }
        }
        print(split, sizes, (System.nanoTime() - start) / 1e9);
        return ExitCodes.OK;
    }

    private void share(String option, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new ParameterException(spec.commandLine(), option + (option.endsWith("=") ? "" : " ")
                    + share + ": a control share is from 0 to 1");
        }
    }

    /** The segment of row {@code i}: a whole number, as every assignment file holds it (DBSCAN's noise is -1). */
    private int segment(FeatureBatch block, int i) {
        float value = block.value(i, 0);
        if (value != Math.rint(value) || Math.abs(value) > 1 << 24) {
            throw new BadInputException(assignments + ": row " + (block.firstRow() + i + 1) + ", column '"
                    + HoldoutSplit.SEGMENT_COLUMN + "' is " + value + ", not a segment number; give the assignments "
                    + "that 'segmenta fit --assignments' or 'segmenta predict --out' write");
        }
        return (int) value;
    }

    private void print(HoldoutSplit split, SortedMap<Integer, long[]> sizes, double seconds) {
        PrintWriter console = spec.commandLine().getOut();
        long[] total = new long[2];
        sizes.values().forEach(s -> {
            total[0] += s[0];
            total[1] += s[1];
        });
        console.printf(Locale.ROOT, "split: %,d customers of %s into test and control (seed %d) in %.2f s -> %s%n",
                total[0] + total[1], assignments, seed, seconds, out);
        console.printf(Locale.ROOT, "%8s %12s %12s %12s %9s %9s%n", "segment", "customers", "test", "control", "control", "asked");
        for (Map.Entry<Integer, long[]> segment : sizes.entrySet()) {
            long[] s = segment.getValue();
            console.printf(Locale.ROOT, "%8d %,12d %,12d %,12d %8.2f%% %8.2f%%%n", segment.getKey(), s[0] + s[1], s[0], s[1],
                    100.0 * s[1] / (s[0] + s[1]), 100 * split.share(segment.getKey()));
        }
        console.printf(Locale.ROOT, "%8s %,12d %,12d %,12d %8.2f%%%n", "total", total[0] + total[1], total[0], total[1],
                100.0 * total[1] / Math.max(1, total[0] + total[1]));
        console.flush();
    }
}
