package dev.segmenta.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.segmenta.engine.campaign.Arm;
import dev.segmenta.engine.campaign.ArmOutcomes;
import dev.segmenta.engine.campaign.CampaignGroups;
import dev.segmenta.engine.campaign.Comparison;
import dev.segmenta.engine.campaign.Correction;
import dev.segmenta.engine.campaign.HoldoutSplit;
import dev.segmenta.engine.campaign.Interval;
import dev.segmenta.engine.campaign.Lift;
import dev.segmenta.io.AtomicFiles;
import dev.segmenta.io.BadInputException;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Measures a campaign: test against control, per segment and overall. */
@Command(name = "lift",
        header = "Measure a campaign's lift per segment: test against control, with intervals, p-values and sample sizes.",
        description = "Joins the groups written by 'segmenta split' with an outcomes file (customer_id plus a 0/1 "
                + "conversion column and/or a revenue column; Parquet, Arrow or CSV) and reports, per segment and overall, "
                + "the customers, rate or mean per group, the absolute lift (test - control) and the relative lift "
                + "(test / control - 1) with 95% confidence intervals, the two-sided p-value (two-proportion z-test for "
                + "conversion, Welch's t-test for revenue), the p-value adjusted across the segments (--correction) and "
                + "the customers per group a campaign would need to detect a --min-lift relative lift at 80% power and "
                + "alpha 0.05. A segment is significant when its adjusted p-value is below 0.05. The overall row weights "
                + "each segment by its share of the customers (post-stratification), so unequal control shares do not "
                + "bias it; it is not adjusted. A segment without customers in one group is reported, with a warning, "
                + "but not tested. Memory: about 30 bytes per customer of the groups file (numeric ids).",
        footer = {"", "Examples (groups.csv from 'segmenta split ... -o groups.csv'; outcomes.csv as in docs/guide.md):",
                "  segmenta lift --groups groups.csv --outcomes outcomes.csv --conversion-column converted --revenue-column revenue",
                "  segmenta lift -g groups.csv --outcomes outcomes.csv --conversion-column converted --correction bh --min-lift 0.05 "
                        + "--missing-outcome zero --json lift.json --csv lift.csv"},
        mixinStandardHelpOptions = true)
final class LiftCommand implements Callable<Integer> {

    @FileRole(FileRole.Role.INPUT)
    @Option(names = {"-g", "--groups"}, required = true, paramLabel = "FILE",
            description = "The split: customer_id, segment, group (test or control), as 'segmenta split' writes it.")
    Path groups;

    @FileRole(FileRole.Role.INPUT)
    @Option(names = "--outcomes", required = true, paramLabel = "FILE",
            description = "One row per customer with the id column and the outcome columns: .parquet, .arrow, .arrows or .csv.")
    Path outcomes;

    @Option(names = "--conversion-column", paramLabel = "COL",
            description = "Column of 0/1 conversion flags (1 = converted): reported with a two-proportion z-test.")
    String conversionColumn;

    @Option(names = "--revenue-column", paramLabel = "COL",
            description = "Column of revenue per customer (read as float32, about 7 digits): reported with Welch's t-test.")
    String revenueColumn;

    @Option(names = "--id-column", paramLabel = "COL", defaultValue = ReadOptions.DEFAULT_ID_COLUMN,
            description = "Customer id column of both files. Default: ${DEFAULT-VALUE}.")
    String idColumn;

    @Option(names = "--correction", paramLabel = "METHOD", defaultValue = "holm",
            description = "How the segments' p-values are adjusted for testing them all: holm (controls the chance of any "
                    + "false finding) or bh (Benjamini-Hochberg: controls the share of false findings). Default: ${DEFAULT-VALUE}.")
    Correction correction;

    @Option(names = "--min-lift", paramLabel = "SHARE", defaultValue = "0.1",
            description = "The relative lift the sample sizes are for: 0.1 = a 10% lift over control. Default: ${DEFAULT-VALUE}.")
    double minLift;

    @Option(names = "--missing-outcome", paramLabel = "POLICY", defaultValue = "fail",
            description = "What a customer of the groups file without an outcome row means: fail (an error, exit 3), zero "
                    + "(did not convert and spent 0, for outcome files that list only buyers) or drop (left out). "
                    + "Default: ${DEFAULT-VALUE}.")
    MissingOutcome missingOutcome;

    @Option(names = "--unknown-customers", paramLabel = "POLICY", defaultValue = "fail",
            description = "Outcome rows for customers not in the groups file: fail (exit 3) or ignore (counted, with a "
                    + "warning, and left out). Default: ${DEFAULT-VALUE}.")
    UnknownCustomers unknownCustomers;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV (one row per metric and segment), atomically.")
    Path csv;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON, atomically.")
    Path json;

    @Mixin
    OutputOptions output;

    @Spec
    CommandSpec spec;

    /** What a customer without an outcome row stands for. */
    enum MissingOutcome { FAIL, ZERO, DROP }

    /** What to do with outcomes of customers who are in no group. */
    enum UnknownCustomers { FAIL, IGNORE }

    @Override
    public Integer call() throws IOException {
        List<Lift.Metric> metrics = new ArrayList<>();
        if (conversionColumn != null) {
            metrics.add(Lift.Metric.CONVERSION);
        }
        if (revenueColumn != null) {
            metrics.add(Lift.Metric.REVENUE);
        }
        if (metrics.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "name the outcome to measure: --conversion-column, --revenue-column or both");
        }
        if (!(minLift > -1 && minLift != 0 && Double.isFinite(minLift))) {
            throw new ParameterException(spec.commandLine(), "--min-lift must be a relative lift above -1 and not 0, got " + minLift);
        }
        if (csv != null && !csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw new ParameterException(spec.commandLine(), "--csv " + csv + ": give a .csv file name");
        }
        Options.writableTarget(csv);
        Options.writableTarget(json);
        CampaignGroups customers = readGroups();
        SortedMap<Integer, ArmOutcomes[]> cells = new TreeMap<>();
        for (int i = 0; i < customers.size(); i++) {
            cells.computeIfAbsent(customers.segment(i), s -> new ArmOutcomes[] {new ArmOutcomes(), new ArmOutcomes()});
        }
        long unknown = readOutcomes(customers, cells);
        long missing = fillMissing(customers, cells);
        List<Lift.Report> reports = new ArrayList<>();
        for (Lift.Metric metric : metrics) {
            reports.add(Lift.analyse(metric, cells, correction, minLift));
        }
        print(reports, unknown, missing);
        if (csv != null) {
            writeCsv(reports);
            output.progress("wrote %s", csv);
        }
        if (json != null) {
            writeJson(reports, customers.size(), unknown, missing);
            output.progress("wrote %s", json);
        }
        return ExitCodes.OK;
    }

    /**
     * The groups file as customer → (segment, group). It is read twice side by side, once with the
     * customer id as the id and once with the group: the readers hand out numeric columns and the id,
     * and the group is text, so the second pass is the way to its values without a text-column reader.
     */
    private CampaignGroups readGroups() {
        ReadOptions options = ReadOptions.defaults().withFeatures(List.of(HoldoutSplit.SEGMENT_COLUMN)).withExcluded(Set.of());
        CampaignGroups customers;
        long[] perArm = new long[2];
        try (FeatureSource ids = FeatureSource.open(groups, options.withIdColumn(idColumn));
             FeatureSource labels = FeatureSource.open(groups, options.withIdColumn(HoldoutSplit.GROUP_COLUMN))) {
            if (!ids.hasIdColumn()) {
                throw new BadInputException(groups + ": has no id column '" + idColumn
                        + "'; give the file 'segmenta split' wrote (or name the column with --id-column)");
            }
            if (!labels.hasIdColumn() || labels.idType() != ColumnType.UTF8) {
                throw new BadInputException(groups + ": has no text column '" + HoldoutSplit.GROUP_COLUMN
                        + "' of test or control; give the file 'segmenta split' wrote");
            }
            customers = new CampaignGroups(ids.idType());
            for (FeatureBatch block = ids.next(), group = labels.next(); block != null; block = ids.next(), group = labels.next()) {
                for (int i = 0; i < block.rows(); i++) {
                    long row = block.firstRow() + i + 1;
                    String label = group.ids().text(i);
                    Arm arm = Arm.of(label);
                    if (arm == null) {
                        throw new BadInputException(groups + ": row " + row + ", column '" + HoldoutSplit.GROUP_COLUMN + "' is '"
                                + label + "'; a group is test or control");
                    }
                    float segment = block.value(i, 0);
                    if (segment != Math.rint(segment)) {
                        throw new BadInputException(groups + ": row " + row + ", column '" + HoldoutSplit.SEGMENT_COLUMN
                                + "' is " + segment + ", not a segment number; give the file 'segmenta split' wrote");
                    }
                    if (!customers.add(block.ids(), i, (int) segment, arm)) {
                        throw new BadInputException(groups + ": customer id '" + block.ids().text(i) + "' appears more than "
                                + "once (row " + row + "); a customer is in one group: split again from assignments with one row per customer");
                    }
                    perArm[arm.ordinal()]++;
                }
                output.throttledProgress("%s: read %,d customers", groups, customers.size());
            }
        }
        for (Arm arm : Arm.values()) {
            if (perArm[arm.ordinal()] == 0) {
                throw new BadInputException(groups + ": has no " + arm.label() + " customers, so there is nothing to compare; "
                        + (arm == Arm.CONTROL ? "split with a --control share above 0" : "split with a --control share below 1"));
            }
        }
        return customers;
    }

    /** Adds each outcome row to its customer's cell; returns the rows of customers in no group. */
    private long readOutcomes(CampaignGroups customers, SortedMap<Integer, ArmOutcomes[]> cells) {
        List<String> columns = new ArrayList<>();
        if (conversionColumn != null) {
            columns.add(conversionColumn);
        }
        if (revenueColumn != null) {
            columns.add(revenueColumn);
        }
        int revenueAt = revenueColumn == null ? -1 : columns.size() - 1;
        long unknown = 0;
        String firstUnknown = null;
        long rows = 0;
        try (FeatureSource source = FeatureSource.open(outcomes, ReadOptions.defaults().withFeatures(columns)
                .withExcluded(Set.of()).withIdColumn(idColumn))) {
            if (!source.hasIdColumn()) {
                throw new BadInputException(outcomes + ": has no id column '" + idColumn
                        + "' to join the groups on; name it with --id-column");
            }
            for (FeatureBatch block = source.next(); block != null; block = source.next()) {
                for (int i = 0; i < block.rows(); i++) {
                    long row = block.firstRow() + i + 1;
                    int customer = customers.find(block.ids(), i);
                    if (customer < 0) {
                        if (unknown++ == 0) {
                            firstUnknown = "'" + block.ids().text(i) + "' in row " + row;
                        }
                        continue;
                    }
                    if (!customers.markSeen(customer)) {
                        throw new BadInputException(outcomes + ": customer id '" + block.ids().text(i) + "' has a second "
                                + "outcome row (row " + row + "); give one row per customer (sum a customer's rows first)");
                    }
                    boolean converted = false;
                    if (conversionColumn != null) {
                        float flag = block.value(i, 0);
                        if (flag != 0 && flag != 1) {
                            throw new BadInputException(outcomes + ": row " + row + ", column '" + conversionColumn + "' is "
                                    + flag + "; a conversion flag is 0 or 1");
                        }
                        converted = flag == 1;
                    }
                    double revenue = revenueAt < 0 ? 0 : block.value(i, revenueAt);
                    cells.get(customers.segment(customer))[customers.arm(customer).ordinal()].add(converted, revenue);
                }
                rows += block.rows();
                output.throttledProgress("%s: read %,d outcomes", outcomes, rows);
            }
        }
        if (unknown > 0 && unknownCustomers == UnknownCustomers.FAIL) {
            throw new BadInputException(outcomes + ": " + String.format(Locale.ROOT, "%,d", unknown) + " outcome row(s) are for "
                    + "customers not in " + groups + ", first " + firstUnknown + "; check that both files are of one campaign, "
                    + "or leave those rows out with --unknown-customers ignore");
        }
        if (unknown > 0) {
            output.warning("%,d outcome row(s) of %s are for customers not in %s (first %s); left out", unknown, outcomes,
                    groups, firstUnknown);
        }
        return unknown;
    }

    /** Applies {@link #missingOutcome} to the customers without an outcome row; returns how many there are. */
    private long fillMissing(CampaignGroups customers, SortedMap<Integer, ArmOutcomes[]> cells) {
        long missing = 0;
        long[] seenPerArm = new long[2];
        int firstMissing = -1;
        SortedMap<Integer, long[]> missingPerCell = new TreeMap<>();
        for (int i = 0; i < customers.size(); i++) {
            if (customers.seen(i)) {
                seenPerArm[customers.arm(i).ordinal()]++;
            } else {
                missing++;
                firstMissing = firstMissing < 0 ? i : firstMissing;
                missingPerCell.computeIfAbsent(customers.segment(i), s -> new long[2])[customers.arm(i).ordinal()]++;
            }
        }
        for (Arm arm : Arm.values()) {
            if (seenPerArm[arm.ordinal()] == 0) {
                throw new BadInputException(outcomes + ": has no outcome row for any " + arm.label() + " customer of " + groups
                        + "; the outcomes must cover both groups (the control group's outcomes are the comparison)");
            }
        }
        if (missing > 0 && missingOutcome == MissingOutcome.FAIL) {
            throw new BadInputException(outcomes + ": " + String.format(Locale.ROOT, "%,d", missing) + " customer(s) of "
                    + groups + " have no outcome row, first '" + customers.id(firstMissing) + "'; say what that means with "
                    + "--missing-outcome zero (did not convert, spent 0) or --missing-outcome drop (leave them out)");
        }
        if (missingOutcome == MissingOutcome.ZERO) {
            missingPerCell.forEach((segment, counts) -> {
                for (Arm arm : Arm.values()) {
                    cells.get(segment)[arm.ordinal()].addNothing(counts[arm.ordinal()]);
                }
            });
        }
        for (var cell : cells.entrySet()) {
            for (Arm arm : Arm.values()) {
                if (cell.getValue()[arm.ordinal()].customers() == 0) {
                    output.warning("segment %d has no %s customers with outcomes; it is reported but not tested",
                            cell.getKey(), arm.label());
                }
            }
        }
        return missing;
    }

    // ---------------------------------------------------------------------------------------------

    private void print(List<Lift.Report> reports, long unknown, long missing) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "lift of %s against %s%s%s%n", groups, outcomes,
                missing == 0 ? "" : String.format(Locale.ROOT, "; %,d customers without outcomes %s", missing,
                        missingOutcome == MissingOutcome.ZERO ? "counted as 0" : "left out"),
                unknown == 0 ? "" : String.format(Locale.ROOT, "; %,d outcome rows of unknown customers ignored", unknown));
        for (Lift.Report report : reports) {
            boolean rate = report.metric() == Lift.Metric.CONVERSION;
            out.printf(Locale.ROOT, "%n%s: p-values adjusted by %s across the segments tested; * = adjusted p < %s; "
                    + "n/group = customers per group to detect a %s relative lift (80%% power)%n",
                    report.metric().title(), report.correction().title(), Lift.ALPHA, percent(report.minLift()));
            out.printf(Locale.ROOT, "%-8s %10s %10s %10s %10s %-28s %-28s %9s %9s %1s %12s%n", "segment", "n test", "n control",
                    "test", "control", "absolute lift [95% CI]", "relative lift [95% CI]", "p", "adj. p", "", "n/group");
            for (Lift.Row row : report.segments()) {
                printRow(out, Integer.toString(row.segment()), row, rate);
            }
            printRow(out, "overall", report.overall(), rate);
            out.printf(Locale.ROOT, "overall: segments weighted by their share of the customers; not adjusted%s%n",
                    report.leftOutOfOverall().isEmpty() ? "" : "; segments left out (a group without customers): "
                            + report.leftOutOfOverall());
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, String name, Lift.Row row, boolean rate) {
        Comparison c = row.comparison();
        out.printf(Locale.ROOT, "%-8s %,10d %,10d %10s %10s %-28s %-28s %9s %9s %1s %12s%n", name, row.testCustomers(),
                row.controlCustomers(), value(c.testMean(), rate), value(c.controlMean(), rate),
                interval(c.absolute(), rate ? "pt" : ""), interval(c.relative(), "%"), p(c.pValue()),
                row.segment() == null ? "" : p(row.adjustedP()), row.significant() ? "*" : "",
                Double.isNaN(row.sampleSizePerArm()) ? "n/a" : String.format(Locale.ROOT, "%,.0f", Math.ceil(row.sampleSizePerArm())));
        if (c.undefinedBecause() != null) {
            out.printf(Locale.ROOT, "%-8s not tested: %s%n", "", c.undefinedBecause());
        }
    }

    private static String value(double v, boolean rate) {
        return Double.isNaN(v) ? "n/a" : rate ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Absolute lifts of rates in percentage points, relative lifts in per cent. */
    private static String interval(Interval i, String unit) {
        if (Double.isNaN(i.estimate())) {
            return "n/a";
        }
        double scale = unit.isEmpty() ? 1 : 100;
        String f = unit.isEmpty() ? "%+.2f" : "%+.1f";
        String estimate = String.format(Locale.ROOT, f, scale * i.estimate()) + (unit.equals("pt") ? " pt" : unit);
        return Double.isNaN(i.low()) ? estimate : estimate + String.format(Locale.ROOT, " [" + f + ", " + f + "]",
                scale * i.low(), scale * i.high());
    }

    private static String p(double p) {
        return Double.isNaN(p) ? "n/a" : p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%s%%", 100 * share == Math.rint(100 * share) ? Long.toString(Math.round(100 * share))
                : Double.toString(100 * share));
    }

    // ---------------------------------------------------------------------------------------------

    private static final List<String> CSV_COLUMNS = List.of("metric", "segment", "test_customers", "control_customers",
            "test_mean", "control_mean", "absolute_lift", "absolute_low", "absolute_high", "relative_lift", "relative_low",
            "relative_high", "statistic", "df", "p_value", "adjusted_p_value", "correction", "significant",
            "sample_size_per_group", "min_lift", "not_tested_because");

    private void writeCsv(List<Lift.Report> reports) throws IOException {
        StringBuilder text = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
        for (Lift.Report report : reports) {
            List<Lift.Row> rows = new ArrayList<>(report.segments());
            rows.add(report.overall());
            for (Lift.Row row : rows) {
                Comparison c = row.comparison();
                List<String> cells = List.of(report.metric().name().toLowerCase(Locale.ROOT),
                        row.segment() == null ? "overall" : row.segment().toString(), Long.toString(row.testCustomers()),
                        Long.toString(row.controlCustomers()), number(c.testMean()), number(c.controlMean()),
                        number(c.absolute().estimate()), number(c.absolute().low()), number(c.absolute().high()),
                        number(c.relative().estimate()), number(c.relative().low()), number(c.relative().high()),
                        number(c.statistic()), number(c.df()), number(c.pValue()), number(row.adjustedP()),
                        row.segment() == null ? "none" : report.correction().name().toLowerCase(Locale.ROOT),
                        Boolean.toString(row.significant()), Double.isNaN(row.sampleSizePerArm()) ? "" : Long.toString((long) Math.ceil(row.sampleSizePerArm())),
                        number(report.minLift()),
                        c.undefinedBecause() == null ? "" : "\"" + c.undefinedBecause() + "\"");
                text.append(String.join(",", cells)).append('\n');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(csv, stream -> stream.write(bytes));
    }

    /** Empty for NaN; "inf" never occurs but for a z statistic's degrees of freedom, which are left empty too. */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private void writeJson(List<Lift.Report> reports, int customers, long unknown, long missing) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("groups", groups.toString());
        root.put("outcomes", outcomes.toString());
        root.put("customers", customers);
        root.put("unknownCustomerRows", unknown);
        root.put("customersWithoutOutcomes", missing);
        root.put("missingOutcome", missingOutcome.name().toLowerCase(Locale.ROOT));
        root.put("alpha", Lift.ALPHA);
        root.put("power", Lift.POWER);
        root.put("minLift", minLift);
        root.put("correction", correction.title());
        ArrayNode metrics = root.putArray("metrics");
        for (Lift.Report report : reports) {
            ObjectNode metric = metrics.addObject();
            metric.put("metric", report.metric().name().toLowerCase(Locale.ROOT));
            ArrayNode segments = metric.putArray("segments");
            report.segments().forEach(row -> json(segments.addObject(), row));
            json(metric.putObject("overall"), report.overall());
            ArrayNode leftOut = metric.putArray("leftOutOfOverall");
            report.leftOutOfOverall().forEach(leftOut::add);
        }
        byte[] bytes = mapper.writeValueAsBytes(root);
        AtomicFiles.write(json, stream -> stream.write(bytes));
    }

    private static void json(ObjectNode node, Lift.Row row) {
        Comparison c = row.comparison();
        if (row.segment() != null) {
            node.put("segment", row.segment());
        }
        node.put("testCustomers", row.testCustomers());
        node.put("controlCustomers", row.controlCustomers());
        put(node, "testMean", c.testMean());
        put(node, "controlMean", c.controlMean());
        interval(node.putObject("absoluteLift"), c.absolute());
        interval(node.putObject("relativeLift"), c.relative());
        put(node, "statistic", c.statistic());
        put(node, "df", c.df());
        put(node, "pValue", c.pValue());
        if (row.segment() != null) {
            put(node, "adjustedPValue", row.adjustedP());
        }
        node.put("significant", row.significant());
        if (Double.isNaN(row.sampleSizePerArm())) {
            node.putNull("sampleSizePerGroup");
        } else {
            node.put("sampleSizePerGroup", (long) Math.ceil(row.sampleSizePerArm()));
        }
        if (c.undefinedBecause() != null) {
            node.put("notTestedBecause", c.undefinedBecause());
        }
    }

    private static void interval(ObjectNode node, Interval i) {
        put(node, "estimate", i.estimate());
        put(node, "low", i.low());
        put(node, "high", i.high());
    }

    /** JSON has no NaN or infinity: an undefined value is null. */
    private static void put(ObjectNode node, String name, double v) {
        if (Double.isFinite(v)) {
            node.put(name, v);
        } else {
            node.putNull(name);
        }
    }
}
