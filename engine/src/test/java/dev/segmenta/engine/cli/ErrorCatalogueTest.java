package dev.segmenta.engine.cli;

import dev.segmenta.engine.cli.Tables.Col;
import dev.segmenta.io.Column;
import dev.segmenta.io.ColumnType;
import dev.segmenta.io.TableWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.segmenta.engine.cli.Tables.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The catalogue of {@code docs/errors.md}, checked row by row: for every way a command's input,
 * options or surroundings can be wrong, the command exits with the documented code and prints the
 * documented line (no stack trace), and leaves no file behind, whatever the command and format.
 *
 * <h2>Adding a row</h2>
 * One line in the table of {@code docs/errors.md} ({@code | `id` | commands | situation | `message` | exit |})
 * and one {@link Row} in {@link #ROWS} with the same id: the runs that provoke it, the formats to
 * provoke it in, and what to put in the run's directory first. {@link #docsAndRowsAgree} fails until
 * both exist and agree on the id, the exit code and the commands; {@link #everyRow} then checks the
 * message against the documented one, where
 * <ul>
 *   <li>{@code INPUT} stands for the input file of the run ({@code customers.csv}, {@code customers.parquet}, ...),
 *       {@code DIR} for the run's directory, and other files are named relative to it ({@code m.json});</li>
 *   <li>{@code …} matches anything (long library reasons, values that differ by format).</li>
 * </ul>
 * In a run's arguments, {@code INPUT}, {@code GOOD} (valid customers), {@code MODEL} (a valid model
 * of {@code spend, visits}), {@code DBSCAN} (a DBSCAN model of them), {@code TRANSACTIONS} (a valid
 * transaction log) and {@code DIR} are replaced by paths. Runs execute in this JVM unless
 * the row needs a child process ({@link Mode}: one child runs all of a row's runs). A row whose exit
 * code is a result rather than an error ({@code drift --fail-on-drift}) checks a line of stdout
 * ({@link Row#result()}); a warning row, one of stderr after {@code warning: } ({@link Row#warning()}).
 * {@code -Dcatalogue.print=true} prints every run's message as the docs would show it.
 *
 * <p>For a new command, say {@code score}, a row of its own error:
 * <pre>{@code
 * row("score-threshold-invalid", 2, "score -m MODEL -i GOOD --threshold 2"),
 * }</pre>
 * and the rows it shares with the other commands pick it up by adding its run to the lists they draw
 * on: {@link #SCORERS} (or {@link #OTHER_CHOOSERS} for a command that picks its own features) for the
 * reader rows, run in each row's first format, {@link #withModel} for the model rows and
 * {@link #outputsIn} for the output rows (missing or read-only directory, full disk). The docs rows'
 * commands columns then list {@code score} too, or {@link #docsAndRowsAgree} fails.
 */
class ErrorCatalogueTest {

    private static final Path DOCS = docs();
    private static final boolean PRINT = Boolean.getBoolean("catalogue.print");
    private static final List<String> READERS = List.of(".csv", ".parquet", ".arrow", ".arrows");
    private static final String FIT = "fit -i INPUT --k 2 -m DIR/m.json -a DIR/a.csv";
    /** The other ways to fit, each of which reads its input its own way: run in a row's first format only. */
    private static final List<String> OTHER_FITS = List.of(
            "fit -i INPUT --k 2 -m DIR/m.json -a DIR/a.parquet --algorithm minibatch",
            "fit -i INPUT --k 2 -m DIR/m.json -a DIR/a.arrow --out-of-core");
    private static final List<String> FITS = concat(List.of(FIT), OTHER_FITS);
    private static final String PREDICT = "predict -m MODEL -i INPUT -o DIR/p.csv";
    /** Every command that reads customers: fit and predict in each format, the others in the first. */
    private static final List<String> READING = List.of(FIT, PREDICT);
    /** The commands besides k-means fits that measure distances between customers. */
    private static final List<String> OTHER_DISTANCES = List.of(
            "fit -i INPUT --algorithm dbscan --eps 0.5 --min-samples 2 -m DIR/m.json",
            "fit -i INPUT --algorithm hierarchical --k 2 -m DIR/m.json",
            "dbscan --suggest-eps -i INPUT --min-samples 2",
            "elbow -i INPUT --k 1..2 -o DIR/e.json");
    private static final List<String> DISTANCES = concat(FITS, OTHER_DISTANCES);
    /** The commands that choose their features themselves (every numeric column), besides fit: each reads its own way. */
    private static final List<String> OTHER_CHOOSERS = concat(concat(OTHER_FITS, OTHER_DISTANCES), List.of("pca -i INPUT -o DIR/pc.csv"));
    /** The commands besides predict that score customers with a model (of spend and visits). */
    private static final List<String> SCORERS = List.of(
            "evaluate -m MODEL -i INPUT",
            "report -m MODEL -i INPUT -o DIR/r.html",
            "drift -m MODEL --before INPUT --after GOOD",
            "drift -m MODEL --before GOOD --after INPUT");
    /** Every command besides fit and predict that reads customers: run in a row's first format only. */
    private static final List<String> OTHER_READERS = concat(OTHER_CHOOSERS, SCORERS);
    /** The transaction reader, where a row is about the file rather than its columns. */
    private static final String RFM = "rfm -t INPUT -o DIR/r.csv";
    /** The lift runs: INPUT is the groups file, {@code DIR/o.csv} the outcomes. */
    private static final String LIFT = "lift -g INPUT --outcomes DIR/o.csv --conversion-column converted";

    /** The campaign commands, reading INPUT as their assignments or groups. */
    private static final List<String> CAMPAIGNS = List.of("split -a INPUT -o DIR/g.csv",
            "lift -g INPUT --outcomes GOOD --conversion-column spend");
    /** Every command that reads any file of data, for the rows about the file itself. */
    private static final List<String> OTHER_FILE_READERS = concat(concat(OTHER_READERS, List.of(RFM)), CAMPAIGNS);

    @TempDir
    static Path shared;
    private static Path good;
    private static Path model;
    private static Path dbscanModel;
    private static Path goodTransactions;

    static final List<Row> ROWS = List.of(
            // usage: exit 2
            row("k-below-1", 2, "fit -i GOOD --k 0 -m DIR/m.json", "demo --k 0"),
            row("option-below-1", 2, "fit -i GOOD --k 2 -m DIR/m.json --threads 0",
                    "fit -i GOOD --k 2 -m DIR/m.json --n-init 0", "fit -i GOOD --k 2 -m DIR/m.json --max-iter 0",
                    "generate --customers 0 -o DIR/g.csv", "generate --features 0 -o DIR/g.csv",
                    "demo --customers 0", "elbow -i GOOD --k 1..2 --fits-at-once 0", "pca -i GOOD -o DIR/pc.csv --components 0",
                    "evaluate -m MODEL -i GOOD --silhouette-sample 0", "report -m MODEL -i GOOD -o DIR/r.html --projection-sample 0",
                    "drift -m MODEL --before GOOD --after GOOD --bins 0", "dbscan --suggest-eps -i GOOD --min-samples 0",
                    "dbscan --suggest-eps -i GOOD --sample 0", "fit -i GOOD --algorithm dbscan --eps 1 --min-samples 0 -m DIR/m.json",
                    "bench --threads 0"),
            row("tol-negative", 2, "fit -i GOOD --k 2 -m DIR/m.json --tol -1"),
            row("option-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --bogus", "predict -m MODEL -i GOOD -o DIR/p.csv --bogus",
                    "generate -o DIR/g.csv --bogus", "demo --bogus", "backends --bogus", "rfm -t TRANSACTIONS -o DIR/r.csv --bogus",
                    "drift -m MODEL --before GOOD --after GOOD --bogus", "elbow -i GOOD --k 1..2 --bogus",
                    "evaluate -m MODEL -i GOOD --bogus", "report -m MODEL -i GOOD -o DIR/r.html --bogus",
                    "pca -i GOOD -o DIR/pc.csv --bogus", "dbscan --suggest-eps -i GOOD --bogus", "bench --bogus",
                    "split -a GOOD -o DIR/g.csv --bogus", "lift -g GOOD --outcomes GOOD --bogus"),
            row("option-missing", 2, "fit -i GOOD -m DIR/m.json", "fit -i GOOD --algorithm dbscan -m DIR/m.json",
                    "fit -i GOOD --algorithm hierarchical -m DIR/m.json", "rfm -o DIR/r.csv", "drift -m MODEL --before GOOD",
                    "elbow -i GOOD", "evaluate -i GOOD", "report -m MODEL -i GOOD", "pca -i GOOD", "dbscan -i GOOD"),
            row("option-not-a-number", 2, "fit -i GOOD --k two -m DIR/m.json", "pca -i GOOD -o DIR/pc.csv --components two"),
            row("scale-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --scale log", "elbow -i GOOD --k 1..2 --scale log",
                    "pca -i GOOD -o DIR/pc.csv --scale log", "dbscan --suggest-eps -i GOOD --scale log"),
            row("algorithm-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --algorithm dbscan2"),
            row("init-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --init random", "elbow -i GOOD --k 1..2 --init random"),
            row("out-of-core-conflict", 2, "fit -i GOOD --k 2 -m DIR/m.json --out-of-core --algorithm minibatch",
                    "fit -i GOOD --k 2 -m DIR/m.json --out-of-core --weight-column spend"),
            row("backend-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --backend tpu",
                    "predict -m MODEL -i GOOD -o DIR/p.csv --backend tpu", "demo --backend tpu",
                    "elbow -i GOOD --k 1..2 --backend tpu", "evaluate -m MODEL -i GOOD --backend tpu",
                    "report -m MODEL -i GOOD -o DIR/r.html --backend tpu", "drift -m MODEL --before GOOD --after GOOD --backend tpu",
                    "bench --backend tpu"),
            row("backend-unavailable", 2, "fit -i GOOD --k 2 -m DIR/m.json --backend simd",
                    "predict -m MODEL -i GOOD -o DIR/p.csv --backend simd").mode(Mode.WITHOUT_VECTOR_MODULE),
            row("output-type-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json -a DIR/a.xlsx",
                    "predict -m MODEL -i GOOD -o DIR/p.xlsx", "generate -o DIR/g.xlsx", "pca -i GOOD -o DIR/pc.xlsx",
                    "rfm -t TRANSACTIONS -o DIR/r.xlsx", "elbow -i GOOD --k 1..2 -o DIR/e.xlsx",
                    "dbscan --suggest-eps -i GOOD --curve DIR/c.xlsx"),
            row("output-is-input", 2, "fit -i INPUT --k 2 -m DIR/m.json -a INPUT", "fit -i INPUT --k 2 -m INPUT",
                    "fit -i INPUT --k 2 -m DIR/m.json --labels DIR/m.json", "predict -m DIR/model.json -i INPUT -o INPUT",
                    "predict -m DIR/model.json -i INPUT -o DIR/model.json", "pca -i INPUT -o INPUT", "rfm -t INPUT -o INPUT",
                    "elbow -i INPUT --k 1..2 -o INPUT", "dbscan --suggest-eps -i INPUT --curve INPUT",
                    "evaluate -m DIR/model.json -i INPUT --json DIR/model.json",
                    "drift -m DIR/model.json --before INPUT --after INPUT --json DIR/model.json",
                    "report -m DIR/model.json -i INPUT -o DIR/e.html --elbow DIR/e.html", "split -a INPUT -o INPUT",
                    "lift -g INPUT --outcomes DIR/model.json --conversion-column spend --json DIR/model.json")
                    .setup((dir, in) -> {
                        Files.copy(good, in);
                        Files.copy(model, dir.resolve("model.json"));
                    }),
            row("outputs-same-file", 2, "fit -i GOOD --k 2 -m DIR/f.json -a DIR/f.json",
                    "fit -i GOOD --algorithm hierarchical --k 2 -m DIR/h.json --merges DIR/x.csv --dendrogram DIR/x.csv",
                    "elbow -i GOOD --k 1..2 -o DIR/e.png --plot DIR/e.png", "dbscan --suggest-eps -i GOOD --curve DIR/k.png --plot DIR/k.png"),
            row("png-output", 2, "elbow -i GOOD --k 1..2 --plot DIR/e.jpg", "dbscan --suggest-eps -i GOOD --plot DIR/k.jpg",
                    "fit -i GOOD --algorithm hierarchical --k 2 -m DIR/m.json --dendrogram DIR/d.svg"),
            row("html-output", 2, "report -m MODEL -i GOOD -o DIR/r.pdf"),
            row("k-range-invalid", 2, "elbow -i GOOD --k 5..2", "elbow -i GOOD --k two..five",
                    "report -m MODEL -i GOOD -o DIR/r.html --k 0..2"),
            row("elbow-twice", 2, "report -m MODEL -i GOOD -o DIR/r.html --k 1..2 --elbow DIR/e.json"),
            row("components-above-features", 2, "pca -i GOOD -o DIR/pc.csv --components 3", "fit -i GOOD --k 2 -m DIR/m.json --pca 3"),
            row("pca-out-of-core", 2, "fit -i GOOD --k 2 -m DIR/m.json --pca 1 --out-of-core"),
            row("eps-invalid", 2, "fit -i GOOD --algorithm dbscan --eps 0 -m DIR/m.json",
                    "fit -i GOOD --algorithm dbscan --eps -1 -m DIR/m.json", "fit -i GOOD --algorithm dbscan --eps NaN -m DIR/m.json"),
            row("option-not-applicable", 2, "fit -i GOOD --k 2 -m DIR/m.json --eps 1",
                    "fit -i GOOD --algorithm dbscan --eps 1 --k 2 -m DIR/m.json",
                    "fit -i GOOD --algorithm minibatch --k 2 --linkage ward -m DIR/m.json",
                    "fit -i GOOD --algorithm hierarchical --k 2 --out-of-core -m DIR/m.json",
                    "fit -i GOOD --algorithm hierarchical --k 2 --n-init 3 -m DIR/m.json",
                    "fit -i GOOD --algorithm dbscan --eps 1 --pca 1 -m DIR/m.json",
                    "fit -i GOOD --algorithm hierarchical --k 2 --pca 1 -m DIR/m.json"),
            row("hierarchy-k-and-cut", 2, "fit -i GOOD --algorithm hierarchical --k 2 --cut-height 1 -m DIR/m.json"),
            row("hierarchy-option-invalid", 2, "fit -i GOOD --algorithm hierarchical --cut-height -1 -m DIR/m.json",
                    "fit -i GOOD --algorithm hierarchical --k 2 --micro-clusters -1 -m DIR/m.json",
                    "fit -i GOOD --algorithm hierarchical --k 2 --dendrogram-leaves 1 -m DIR/m.json"),
            row("linkage-unknown", 2, "fit -i GOOD --algorithm hierarchical --k 2 --linkage centroid -m DIR/m.json"),
            row("index-unknown", 2, "fit -i GOOD --algorithm dbscan --eps 1 --index octree -m DIR/m.json"),
            row("impute-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --impute mode", "dbscan --suggest-eps -i GOOD --impute mode"),
            row("dedup-unknown", 2, "fit -i GOOD --k 2 -m DIR/m.json --dedup newest", "predict -m MODEL -i GOOD -o DIR/p.csv --dedup newest",
                    "evaluate -m MODEL -i GOOD --dedup newest", "drift -m MODEL --before GOOD --after GOOD --dedup newest"),
            row("fill-value-missing", 2, "fit -i GOOD --k 2 -m DIR/m.json --impute constant"),
            row("fill-value-alone", 2, "fit -i GOOD --k 2 -m DIR/m.json --fill-value 0"),
            row("nan-as-missing-alone", 2, "fit -i GOOD --k 2 -m DIR/m.json --nan-as-missing"),
            row("date-invalid", 2, "rfm -t TRANSACTIONS -o DIR/r.csv --as-of 31/12/2024",
                    "generate --transactions 10 --from 2024-13-01 -o DIR/t.csv"),
            row("dates-reversed", 2, "generate --transactions 10 --from 2024-01-01 --to 2023-01-01 -o DIR/t.csv"),
            row("threshold-invalid", 2, "drift -m MODEL --before GOOD --after GOOD --threshold 2"),
            row("bench-rows", 2, "bench --rows 4"),
            row("option-above-limit", 2, "drift -m MODEL --before GOOD --after GOOD --bins 10001",
                    "generate --features 1001 -o DIR/g.csv", "generate --segments 1001 -o DIR/g.csv",
                    "demo --features 1001", "demo --customers 100 --k 101"),
            row("column-name-empty", 2, "fit -i GOOD --k 2 -m DIR/m.json --id-column=",
                    "predict -m MODEL -i GOOD -o DIR/p.csv --id-column=", "drift -m MODEL --before GOOD --after GOOD --id-column=",
                    "elbow -i GOOD --k 1..2 --id-column=", "rfm -t TRANSACTIONS -o DIR/r.csv --id-column=",
                    "rfm -t TRANSACTIONS -o DIR/r.csv --amount-column="),
            row("column-named-twice", 2, "fit -i GOOD --k 2 -m DIR/m.json --features spend,visits,spend",
                    "fit -i GOOD --k 2 -m DIR/m.json --log1p spend,spend", "elbow -i GOOD --k 1..2 --features spend,spend",
                    "pca -i GOOD -o DIR/pc.csv --features spend,visits,spend",
                    "dbscan --suggest-eps -i GOOD --features spend,visits,spend"),

            // the input file: exit 3
            row("input-missing", 3, READING).once(OTHER_FILE_READERS).formats(".parquet"),
            row("input-directory", 3, READING).once(OTHER_FILE_READERS).formats(".parquet").setup((dir, in) -> Files.createDirectory(in)),
            row("input-type-unknown", 3, READING).once(OTHER_FILE_READERS).formats(".xlsx").setup((dir, in) -> Files.writeString(in, "x\n1\n")),
            row("input-empty", 3, READING).once(OTHER_FILE_READERS).formats(READERS).setup((dir, in) -> Files.createFile(in)),
            row("input-not-regular", 3, READING).once(OTHER_FILE_READERS).formats(".csv", ".parquet")
                    .setup((dir, in) -> Files.createSymbolicLink(in, Path.of("/dev/zero"))),
            row("input-no-rows", 3, READING).once(OTHER_READERS).formats(".csv", ".parquet", ".arrow", ".arrows")
                    .setup((dir, in) -> withoutRows(in)),
            row("csv-header-unterminated", 3, READING).once(OTHER_READERS).formats(".csv")
                    .setup((dir, in) -> Files.writeString(in, "customer_id,spend,visits")),
            row("input-truncated", 3, READING).once(OTHER_FILE_READERS).formats(".parquet", ".arrow", ".arrows", ".csv.gz")
                    .setup((dir, in) -> truncate(in)),
            row("csv-short-row", 3, READING).once(OTHER_READERS).formats(".csv")
                    .setup((dir, in) -> Files.writeString(in, "customer_id,spend,visits\n1,2.5,3\n2,4.5,1\n3,1")),
            row("column-unknown", 3, "fit -i INPUT --k 2 -m DIR/m.json --features spend,loyalty",
                    "fit -i INPUT --k 2 -m DIR/m.json --features spend,loyalty --out-of-core").formats(READERS).table(standard()),
            row("column-duplicate", 3, READING).once(OTHER_READERS).formats(".csv", ".arrow", ".arrows")
                    .table(col("customer_id", 1L, 2L), col("spend", 1.0, 2.0), col("spend", 3.0, 4.0)),
            row("column-not-numeric", 3, "fit -i INPUT --k 2 -m DIR/m.json --features spend,region")
                    .formats(".parquet", ".arrow", ".arrows").table(withRegion()),
            row("column-text-in-csv", 3, "fit -i INPUT --k 2 -m DIR/m.json --features spend,region")
                    .formats(".csv").table(withRegion()),
            row("no-numeric-columns", 3, FIT).once(OTHER_CHOOSERS).formats(READERS)
                    .table(col("customer_id", 1L, 2L), col("region", "north", "south")),
            row("csv-bad-cell", 3, READING).once(OTHER_READERS).formats(".csv")
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", "1.5", "abc", "2.5"), col("visits", 1L, 2L, 3L)),
            row("csv-not-utf8", 3, READING).once(OTHER_READERS).formats(".csv")
                    .setup((dir, in) -> Files.write(in, "customer_id,spend,visits\n1,1.5,1\n2,4\u00e9,2\n3,2.5,3\n"
                            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))),
            row("csv-thousands-separator", 3, READING).once(OTHER_READERS).formats(".csv")
                    .setup((dir, in) -> Files.writeString(in, "customer_id,spend,visits\n1,\"1,234\",1\n2,\"2,000\",2\n3,7,3\n")),
            row("csv-quote-unclosed", 3, READING).once(OTHER_READERS).formats(".csv")
                    .setup((dir, in) -> Files.writeString(in, "customer_id,spend,visits\n1,1.5,1\n2,\"2.5,2\n3,3.5,3\n")),
            row("column-left-out", 0, FIT).once(OTHER_CHOOSERS).formats(READERS).warning()
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.5, 20.0, 3.5), col("visits", 2.0, 9.0, 1.0),
                            col("region", "north", "south", "east")),
            row("value-not-finite", 3, READING).once(OTHER_READERS).formats(READERS).table(standard(2, Double.NaN)),
            row("value-infinite", 3, READING).once(OTHER_READERS).formats(READERS).table(standard(2, Double.NEGATIVE_INFINITY)),
            row("value-null", 3, READING).once(OTHER_READERS).formats(READERS).table(standard(2, null)),
            row("value-null-integer", 3, READING).once(OTHER_READERS).formats(".parquet", ".arrow", ".arrows")
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, 2.0, 3.0), col("visits", 4L, null, 6L)),
            row("value-beyond-float32", 3, READING).once(OTHER_READERS).formats(READERS).table(standard(2, 1e300)),
            row("id-empty", 3, READING).once(OTHER_READERS).formats(READERS).table(col("customer_id", "a1", null, "a3"),
                    col("spend", 1.0, 2.0, 3.0), col("visits", 1.0, 2.0, 3.0)),
            row("id-duplicate", 3, "fit -i INPUT --k 2 -m DIR/m.json", "fit -i INPUT --k 2 -m DIR/m.json --algorithm minibatch")
                    .formats(READERS).table(col("customer_id", 7L, 8L, 8L, 9L), col("spend", 1.0, 2.0, 3.0, 4.0),
                            col("visits", 1.0, 2.0, 3.0, 4.0)),
            row("id-type", 3, READING).once(OTHER_READERS).formats(".parquet", ".arrow", ".arrows")
                    .table(col("customer_id", 1.5, 2.5), col("spend", 1.0, 2.0), col("visits", 1.0, 2.0)),
            row("parquet-checksum", 3, READING).once(OTHER_READERS).formats(".parquet").setup((dir, in) -> withFlippedPage(in)),
            row("id-column-missing", 3, "fit -i INPUT --k 2 -m DIR/m.json --id-column zzz",
                    "predict -m MODEL -i INPUT -o DIR/p.csv --id-column zzz").formats(READERS).table(standard())
                    .once(List.of("fit -i INPUT --k 2 -m DIR/m.json --id-column zzz --out-of-core",
                            "drift -m MODEL --before INPUT --after GOOD --id-column zzz", "elbow -i INPUT --k 1..2 --id-column zzz",
                            "pca -i INPUT -o DIR/pc.csv --id-column zzz", "dbscan --suggest-eps -i INPUT --id-column zzz")),
            row("dictionary-encoded", 3, READING).once(OTHER_READERS).formats(".arrow", ".arrows").setup((dir, in) -> Tables.writeDictionaryEncoded(in)),

            // the data as a whole: exit 3
            row("magnitude-unscaled", 3, scaledNone(DISTANCES)).formats(".csv", ".parquet")
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, 1e30, 2.0), col("visits", 1.0, 2.0, 3.0)),
            row("spread-unscaled", 3, scaledNone(DISTANCES)).formats(".csv", ".parquet")
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1e-30, 2e-30, 3e-30), col("visits", 5.0, 5.0, 5.0)),
            row("magnitude-far-from-training", 3, PREDICT).once(SCORERS).formats(READERS).table(standard(2, 1e30)),
            row("column-constant", 0, DISTANCES).formats(".csv").warning()
                    .table(col("customer_id", 1L, 2L, 3L, 4L), col("spend", 1.0, 2.0, 9.0, 8.0), col("visits", 3L, 3L, 3L, 3L)),
            row("k-above-rows", 3, withK(4, concat(FITS, List.of("fit -i INPUT --algorithm hierarchical --k 2 -m DIR/m.json"))))
                    .formats(".csv", ".arrow").table(standard()),
            row("k-range-above-rows", 3, "elbow -i INPUT --k 1..4", "report -m MODEL -i INPUT -o DIR/r.html --k 1..4")
                    .formats(".csv", ".arrow").table(standard()),
            row("k-above-distinct", 3, withK(3, concat(FITS, List.of("fit -i INPUT --k 2 -m DIR/m.json --init k-means||",
                    "fit -i INPUT --algorithm hierarchical --k 2 -m DIR/m.json"))))
                    .once(List.of("elbow -i INPUT --k 2..3")).formats(".csv")
                    .table(col("customer_id", 1L, 2L, 3L, 4L, 5L, 6L), col("spend", 1.0, 1.0, 5.0, 5.0, 1.0, 5.0),
                            col("visits", 2.0, 2.0, 7.0, 7.0, 2.0, 7.0)),
            row("min-samples-above-rows", 3, "dbscan --suggest-eps -i INPUT --min-samples 5").formats(READERS).table(standard()),
            row("k-distances-zero", 3, "dbscan --suggest-eps -i INPUT --min-samples 2").formats(".csv")
                    .table(col("customer_id", 1L, 2L, 3L, 4L, 5L, 6L), col("spend", 1.0, 1.0, 1.0, 5.0, 5.0, 5.0),
                            col("visits", 1.0, 1.0, 1.0, 5.0, 5.0, 5.0)),
            row("micro-clusters-not-below", 3, "fit -i INPUT --algorithm hierarchical --k 2 --micro-clusters 3 -m DIR/m.json")
                    .formats(".csv").table(standard()),
            row("hierarchy-too-many", 3, "fit -i INPUT --algorithm hierarchical --k 2 -m DIR/m.json").formats(".csv")
                    .setup((dir, in) -> Files.writeString(in, manyCustomers(100_001))),
            row("hierarchy-weight-zero", 3, "fit -i INPUT --algorithm hierarchical --k 2 --weight-column w -m DIR/m.json")
                    .formats(".csv", ".parquet").table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, 2.0, 3.0), col("w", 1.0, 0.0, 1.0)),
            row("too-few-for-pca", 3, "pca -i INPUT -o DIR/pc.csv").formats(READERS)
                    .table(col("customer_id", 1L), col("spend", 1.0), col("visits", 3.0)),
            row("evaluate-one-segment", 3, "evaluate -m MODEL -i INPUT", "report -m MODEL -i INPUT -o DIR/r.html").formats(READERS)
                    .table(col("customer_id", 1L, 2L), col("spend", 1.5, 3.5), col("visits", 2.0, 1.0)),
            row("evaluate-one-per-segment", 3, "evaluate -m DIR/m3.json -i INPUT", "report -m DIR/m3.json -i INPUT -o DIR/r.html")
                    .formats(".csv").setup((dir, in) -> {
                        Tables.write(in, standard());
                        fitModel(in, dir.resolve("m3.json"), "--k", "3", "--seed", "1");
                    }),
            row("impute-no-values", 3, "fit -i INPUT --k 2 -m DIR/m.json --impute median").formats(READERS)
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, 2.0, 3.0), col("visits", null, null, null)),
            row("log1p-not-a-feature", 3, "fit -i INPUT --k 2 -m DIR/m.json --log1p age").formats(".csv").table(standard()),
            row("log1p-below-minus-1", 3, "fit -i INPUT --k 2 -m DIR/m.json --log1p spend").formats(READERS)
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, -3.0, 2.0), col("visits", 1.0, 2.0, 3.0)),
            row("dedup-without-id", 3, "fit -i INPUT --k 2 -m DIR/m.json --dedup last").formats(READERS)
                    .table(col("spend", 1.0, 2.0, 3.0), col("visits", 1.0, 2.0, 3.0)),
            row("weight-negative", 3, "fit -i INPUT --k 2 -m DIR/m.json --weight-column w").formats(".csv", ".parquet")
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, 2.0, 3.0), col("w", 1.0, -2.0, 1.0)),
            row("weights-all-zero", 3, "fit -i INPUT --k 2 -m DIR/m.json --weight-column w").formats(".csv")
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 1.0, 2.0, 3.0), col("w", 0.0, 0.0, 0.0)),
            row("weight-is-feature", 3, "fit -i INPUT --k 2 -m DIR/m.json --weight-column spend --features spend,visits")
                    .formats(".csv").table(standard()),

            // the model: exit 3
            row("model-missing", 3, withModel("DIR/none.json")),
            row("model-directory", 3, withModel("DIR")),
            row("model-not-json", 3, withModel("DIR/cut.json"))
                    .setup((dir, in) -> Files.writeString(dir.resolve("cut.json"), Files.readString(model).substring(0, 200))),
            row("model-invalid", 3, withModel("DIR/edited.json"))
                    .setup((dir, in) -> Files.writeString(dir.resolve("edited.json"),
                            Files.readString(model).replaceFirst("\"k\" : 2", "\"k\" : 3"))),
            row("model-choice-unknown", 3, withModel("DIR/edited.json"))
                    .setup((dir, in) -> Files.writeString(dir.resolve("edited.json"),
                            Files.readString(model).replaceFirst("\"algorithm\" : \"kmeans\"", "\"algorithm\" : \"spectral\""))),
            row("model-label-null", 3, withModel("DIR/edited.json"))
                    .setup((dir, in) -> Files.writeString(dir.resolve("edited.json"),
                            Files.readString(model).replaceFirst("(\"segmentLabels\" : \\[ )\"[^\"]*\"", "$1null"))),
            row("model-text-after", 3, withModel("DIR/edited.json"))
                    .setup((dir, in) -> Files.writeString(dir.resolve("edited.json"), Files.readString(model) + "\n{}\n")),
            row("model-feature-missing", 3, PREDICT).once(SCORERS).formats(READERS)
                    .table(col("customer_id", 1L, 2L), col("spend", 1.0, 2.0)),
            row("model-dbscan", 3, "evaluate -m DBSCAN -i GOOD", "report -m DBSCAN -i GOOD -o DIR/r.html",
                    "drift -m DBSCAN --before GOOD --after GOOD"),
            row("elbow-file-missing", 3, "report -m MODEL -i GOOD -o DIR/r.html --elbow DIR/none.json"),
            row("elbow-file-invalid", 3, "report -m MODEL -i GOOD -o DIR/r.html --elbow DIR/e.json")
                    .setup((dir, in) -> Files.writeString(dir.resolve("e.json"), "{\"points\": [{\"k\": 2}]}")),

            // the transactions (rfm): exit 3
            row("transactions-column-missing", 3, RFM).formats(READERS)
                    .table(col("customer_id", 1L, 2L), col("date", "2024-01-02", "2024-02-03"), col("amount", 10.0, 5.5)),
            row("transactions-no-rows", 3, RFM).formats(".csv")
                    .table(col("customer_id"), col("timestamp"), col("amount")),
            row("timestamp-type", 3, RFM).formats(".parquet", ".arrow", ".arrows")
                    .table(col("customer_id", 1L, 2L), col("timestamp", 20240102L, 20240203L), col("amount", 10.0, 5.5)),
            row("timestamp-unreadable", 3, RFM).formats(READERS).table(transactions(2, "05/03/2024", 5.5)),
            row("timestamp-empty", 3, RFM).formats(READERS).table(transactions(2, null, 5.5)),
            row("amount-empty", 3, RFM).formats(READERS).table(transactions(2, "2024-02-03", null)),
            row("amount-negative", 3, RFM).formats(READERS).table(transactions(2, "2024-02-03", -1.0)),
            row("amount-not-finite", 3, RFM).formats(".parquet", ".arrow", ".arrows").table(transactions(2, "2024-02-03", Double.NaN)),
            row("amount-not-numeric", 3, RFM).formats(".csv").table(col("customer_id", 1L, 2L),
                    col("timestamp", "2024-01-02", "2024-02-03"), col("amount", "10", "abc")),
            row("transaction-id-empty", 3, RFM).formats(READERS).table(col("customer_id", "a1", null),
                    col("timestamp", "2024-01-02", "2024-02-03"), col("amount", 10.0, 5.5)),
            row("transactions-after-as-of", 3, RFM + " --as-of 2020-01-01").formats(READERS).table(transactions(2, "2024-02-03", 5.5)),

            // campaigns (split, lift)
            row("control-share-invalid", 2, "split -a GOOD --control 1.5 -o DIR/g.csv",
                    "split -a GOOD --control-per-segment 0=-0.1 -o DIR/g.csv"),
            row("lift-no-metric", 2, "lift -g GOOD --outcomes GOOD"),
            row("min-lift-invalid", 2, "lift -g GOOD --outcomes GOOD --conversion-column spend --min-lift 0"),
            row("split-no-id", 3, "split -a INPUT -o DIR/g.csv").formats(READERS).table(col("segment", 0L, 1L)),
            row("segment-not-whole", 3, "split -a INPUT -o DIR/g.csv").formats(READERS)
                    .table(col("customer_id", 1L, 2L), col("segment", 0.0, 1.5)),
            row("group-column-missing", 3, LIFT).formats(READERS)
                    .setup(campaign(new Col[] {col("customer_id", 1L, 2L), col("segment", 0L, 0L)}, outcomes())),
            row("group-invalid", 3, LIFT).formats(READERS)
                    .setup(campaign(groups("test", "treatment", "test", "control"), outcomes())),
            row("group-id-duplicate", 3, LIFT).formats(READERS).setup(campaign(new Col[] {col("customer_id", 1L, 2L, 2L),
                    col("segment", 0L, 0L, 0L), col("group", "test", "control", "test")}, outcomes())),
            row("group-arm-empty", 3, LIFT).formats(READERS).setup(campaign(groups("test", "test", "test", "test"), outcomes())),
            row("outcome-unknown-customer", 3, LIFT).formats(READERS).setup(campaign(groups(),
                    outcomes(col("customer_id", 1L, 2L, 3L, 99L, 4L), col("converted", 1L, 0L, 0L, 1L, 1L)))),
            row("outcome-unknown-ignored", 0, LIFT + " --unknown-customers ignore").formats(".csv").warning()
                    .setup(campaign(groups(), outcomes(col("customer_id", 1L, 2L, 3L, 99L, 4L),
                            col("converted", 1L, 0L, 0L, 1L, 1L)))),
            row("outcome-missing", 3, LIFT).formats(READERS)
                    .setup(campaign(groups(), outcomes(col("customer_id", 1L, 2L, 4L), col("converted", 1L, 0L, 1L)))),
            row("outcome-duplicate", 3, LIFT).formats(READERS)
                    .setup(campaign(groups(), outcomes(col("customer_id", 1L, 1L, 2L), col("converted", 1L, 0L, 1L)))),
            row("outcome-arm-missing", 3, LIFT + " --missing-outcome zero").formats(READERS)
                    .setup(campaign(groups(), outcomes(col("customer_id", 1L, 3L), col("converted", 1L, 0L)))),
            row("conversion-not-binary", 3, LIFT).formats(READERS)
                    .setup(campaign(groups(), outcomes(col("customer_id", 1L, 2L, 3L, 4L), col("converted", 2L, 0L, 0L, 1L)))),
            row("segment-one-arm", 0, LIFT).formats(READERS).warning()
                    .setup(campaign(groups("test", "control", "test", "test"), outcomes())),

            // a result, not an error: exit 5
            row("drift-advised", 5, "drift -m MODEL --before GOOD --after INPUT --fail-on-drift").formats(READERS).result()
                    .table(col("customer_id", 1L, 2L, 3L), col("spend", 100.0, 300.0, 500.0), col("visits", 200.0, 900.0, 100.0)),

            // the file system: exit 4
            row("output-directory-missing", 4, concat(List.of("fit -i GOOD --k 2 -m DIR/no/m.json"), outputsIn("DIR/no"))),
            row("output-is-directory", 4, "fit -i GOOD --k 2 -m DIR", "predict -m MODEL -i GOOD -o DIR/p.csv",
                    "pca -i GOOD -o DIR/p.csv", "rfm -t TRANSACTIONS -o DIR/p.csv", "elbow -i GOOD --k 1..2 -o DIR/p.csv",
                    "report -m MODEL -i GOOD -o DIR/p.html")
                    .setup((dir, in) -> {
                        Files.createDirectory(dir.resolve("p.csv"));
                        Files.createDirectory(dir.resolve("p.html"));
                    }),
            row("output-not-writable", 4, outputsIn("DIR/locked")).mode(Mode.PERMISSIONS)
                    .setup((dir, in) -> Files.createDirectory(dir.resolve("locked"), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("r-xr-xr-x")))),
            row("input-unreadable", 4, READING).once(OTHER_FILE_READERS).formats(".csv").mode(Mode.PERMISSIONS)
                    .setup((dir, in) -> Files.setPosixFilePermissions(Files.copy(good, in), Set.of())),
            row("elbow-file-unreadable", 4, "report -m MODEL -i GOOD -o DIR/r.html --elbow DIR/e.json").mode(Mode.PERMISSIONS)
                    .setup((dir, in) -> Files.setPosixFilePermissions(Files.writeString(dir.resolve("e.json"),
                            "{\"points\": [{\"k\": 1, \"inertia\": 9.0}, {\"k\": 2, \"inertia\": 1.0}]}"), Set.of())),
            row("model-unreadable", 4, withModel("DIR/locked.json")).mode(Mode.PERMISSIONS)
                    .setup((dir, in) -> Files.setPosixFilePermissions(Files.copy(model, dir.resolve("locked.json")), Set.of())),
            row("disk-space-short", 4, "generate --customers 1000000000000000 -o DIR/g.csv",
                    "generate --customers 10 --transactions 1000000000000000 -o DIR/t.parquet"),
            // generate checks the free space before writing (disk-space-short), so a full disk never sees it write.
            row("disk-full", 4, concat(List.of("fit -i GOOD --k 2 -m DIR/full/m.json -a DIR/full/a.csv",
                    "predict -m MODEL -i GOOD -o DIR/full/p.parquet", "predict -m MODEL -i GOOD -o DIR/full/p.arrow",
                    // one output on the full disk, the others where there is room: none of them may appear
                    "fit -i GOOD --k 2 -m DIR/full/m.json -a DIR/a.csv",
                    "fit -i GOOD --algorithm hierarchical --k 2 -m DIR/full/h.json --merges DIR/merges.csv --dendrogram DIR/d.png",
                    "report -m MODEL -i GOOD -o DIR/full/r.html --plots DIR",
                    "elbow -i GOOD --k 1..2 -o DIR/e.json --plot DIR/full/e.png",
                    "dbscan --suggest-eps -i GOOD --min-samples 2 --curve DIR/k.csv --plot DIR/full/k.png"),
                    outputsIn("DIR/full").stream().filter(run -> !run.startsWith("generate")).toList()))
                    .mode(Mode.DISK_FULL).setup((dir, in) -> Files.createDirectory(dir.resolve("full"))),

            // elsewhere: a test of its own
            Row.coveredBy("interrupted", 130, "fit, predict, generate, elbow, report, rfm", InterruptTest.class),
            Row.coveredBy("terminated", 143, "rfm", InterruptTest.class),
            Row.coveredBy("not-enough-memory", 6, "fit, demo, elbow, dbscan, evaluate, report", MemoryTest.class));

    // ---------------------------------------------------------------------------------------------

    @BeforeAll
    static void validInputAndModel() throws IOException {
        good = Tables.write(shared.resolve("good.csv"), standard());
        model = shared.resolve("model.json");
        fitModel(good, model, "--k", "2", "--seed", "1");
        goodTransactions = Tables.write(shared.resolve("transactions.csv"), transactions(2, "2024-02-03", 5.5));
        dbscanModel = shared.resolve("dbscan.json");
        fitModel(good, dbscanModel, "--algorithm", "dbscan", "--eps", "5", "--min-samples", "1");
    }

    @TestFactory
    Stream<DynamicTest> everyRow() {
        Map<String, Row> documented = documentedRows().stream().collect(Collectors.toMap(Row::id, r -> r));
        return ROWS.stream().filter(r -> r.coveredBy == null).flatMap(row -> row.cases().map(c -> DynamicTest.dynamicTest(
                row.id + " " + c[0] + " " + c[1], () -> check(row, documented.get(row.id), c[0], c[1]))));
    }

    @Test
    void docsAndRowsAgree() throws NoSuchMethodException {
        List<Row> documented = documentedRows();
        assertEquals(ids(ROWS), ids(documented), "the rows of docs/errors.md and of this test");
        for (Row doc : documented) {
            Row row = ROWS.stream().filter(r -> r.id.equals(doc.id)).findFirst().orElseThrow();
            assertEquals(row.exit, doc.exit, doc.id + ": exit code");
            assertEquals(row.commands(), doc.commands(), doc.id + ": commands");
            if (row.coveredBy != null) {
                assertNotNull(row.coveredBy.getDeclaredMethod(testMethod(doc.id)), doc.id + ": its test");
            }
        }
    }

    @Test
    void debugPrintsTheStackTraceAndOnlyThen() {
        String[] args = ("fit -i " + shared.resolve("absent.csv") + " --k 2 -m " + shared.resolve("x.json")).split(" ");
        assertFalse(inProcess(args).err().contains("\tat "));
        String[] debug = Arrays.copyOf(args, args.length + 1);
        debug[args.length] = "--debug";
        Run run = inProcess(debug);
        assertEquals(3, run.code());
        assertTrue(run.err().contains("\tat dev.segmenta"), run::toString);
    }

    // ---------------------------------------------------------------------------------------------

    /** A run made ready: its directory and input, what it holds before, and the arguments with paths. */
    private record Case(Row row, String format, String template, Path dir, Path input, Set<String> before, List<String> args) {
    }

    /** The runs of child-process rows, made in one child per row on the first of its tests. */
    private static final Map<Row, Map<String, Run>> BATCHES = new HashMap<>();

    private static Case prepare(Row row, String format, String template) throws IOException {
        Path dir = Files.createTempDirectory(shared, row.id + "-");
        Path input = dir.resolve("customers" + format);
        row.setup.prepare(dir, input);
        List<String> args = new ArrayList<>();
        for (String arg : template.split(" ")) {
            args.add(arg.replace("INPUT", input.toString()).replace("GOOD", good.toString())
                    .replace("MODEL", model.toString()).replace("DBSCAN", dbscanModel.toString())
                    .replace("TRANSACTIONS", goodTransactions.toString()).replace("DIR", dir.toString()));
        }
        return new Case(row, format, template, dir, input, files(dir), args);
    }

    private static void check(Row row, Row documented, String format, String template) throws Exception {
        Case c;
        Run run;
        if (row.mode == Mode.IN_PROCESS) {
            c = prepare(row, format, template);
            run = inProcess(c.args().toArray(String[]::new));
        } else {
            Map<String, Run> batch;
            synchronized (BATCHES) {
                batch = BATCHES.get(row);
                if (batch == null) {
                    batch = row.mode.runAll(row.cases().map(k -> {
                        try {
                            return prepare(row, k[0], k[1]);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList());
                    BATCHES.put(row, batch);
                }
            }
            run = batch.get(format + " " + template);
            c = CASES.get(row.id + " " + format + " " + template);
        }
        String command = c.args().getFirst();
        String prefix = row.result ? "" : "segmenta " + command + ": " + (row.warning ? "warning: " : "");
        String context = template + " (" + format + ")\n" + run;
        assertEquals(row.exit, run.code(), context);
        assertNotNull(documented, row.id + " is not in docs/errors.md");
        List<String> lines = (row.result ? run.out() : run.err()).lines().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).replace(c.input().getFileName().toString(), "INPUT")
                        .replace(c.dir() + "/", "").replace(c.dir().toString(), "DIR"))
                .filter(l -> !row.result || documented.matches(l)).toList();
        assertEquals(1, lines.size(), () -> "one line starting with '" + prefix + "': " + context);
        assertFalse(run.err().contains("\tat "), () -> "no stack trace: " + context);
        String message = lines.getFirst();
        if (PRINT) {
            System.out.println("CATALOGUE " + row.id + " " + format + " [" + template + "]: " + message);
        }
        assertTrue(documented.matches(message), () -> "documented '" + documented.message + "', printed '" + message
                + "' by " + context);
        if (!row.warning) {
            assertEquals(c.before(), files(c.dir()), () -> "no output or temporary file is left: " + context);
        }
    }

    /** The prepared cases of child-process rows, by row id, format and run. */
    private static final Map<String, Case> CASES = new HashMap<>();

    /** What a run printed and returned. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    static Run inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SegmentaCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** Where a row's runs execute. */
    enum Mode {
        IN_PROCESS,
        /** A child JVM without {@code --add-modules=jdk.incubator.vector}: the SIMD backend cannot start. */
        WITHOUT_VECTOR_MODULE,
        /** A child JVM to which file permissions apply, even when the tests run as root. */
        PERMISSIONS,
        /**
         * A child JVM in a mount namespace where {@code DIR/full} is a full 64 KiB tmpfs: real "No space
         * left on device" errors from every writer. Skipped where user namespaces are not allowed.
         */
        DISK_FULL;

        /** Runs every case in one child JVM (the row's situation set up once), keyed by format and run. */
        Map<String, Run> runAll(List<Case> cases) throws IOException, InterruptedException {
            List<String> flags = new ArrayList<>(ChildCli.JVM_FLAGS);
            List<String> prefix = List.of();
            List<String> fullDisks = cases.stream().map(c -> c.dir().resolve("full").toString()).toList();
            switch (this) {
                case WITHOUT_VECTOR_MODULE -> flags.remove("--add-modules=jdk.incubator.vector");
                case PERMISSIONS -> {
                    assumeTrue(!ChildCli.root() || ChildCli.works("unshare", "--user", "true"), "needs unshare --user as root");
                    prefix = ChildCli.withPermissions();
                }
                case DISK_FULL -> {
                    assumeTrue(ChildCli.works("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"),
                            "needs user and mount namespaces (unshare -rm) to mount a small tmpfs");
                    List<String> wrapper = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c",
                            "disks=''; while [ \"$1\" != -- ]; do disks=\"$disks $1\"; shift; done; shift; "
                                    + "for d in $disks; do mount -t tmpfs -o size=64k tmpfs \"$d\" || exit 99; "
                                    + "head -c 65536 /dev/zero > \"$d/filler\" 2>/dev/null; done; "
                                    + "\"$@\"; code=$?; for d in $disks; do ls -A \"$d\" > \"$d.after\"; done; exit $code", "sh"));
                    wrapper.addAll(fullDisks);
                    wrapper.add("--");
                    prefix = wrapper;
                }
                default -> throw new IllegalStateException("runs in this JVM");
            }
            Path results = Files.createTempDirectory(shared, "results");
            List<List<String>> commands = cases.stream().map(Case::args).toList();
            ChildCli.Result child = ChildCli.run(ChildCli.command(prefix, flags, CliBatch.class,
                    CliBatch.arguments(results, commands)), results, 180);
            assertEquals(0, child.code(), child::toString);
            Map<String, Run> runs = new HashMap<>();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                if (this == DISK_FULL) {
                    Path after = Path.of(fullDisks.get(i) + ".after");
                    assertEquals("filler", Files.readString(after).strip(), "nothing but the filler is left on the full disk");
                    Files.delete(after);
                }
                runs.put(c.format() + " " + c.template(), new Run(Integer.parseInt(Files.readString(results.resolve(i + ".code"))),
                        Files.readString(results.resolve(i + ".out")), Files.readString(results.resolve(i + ".err"))));
                CASES.put(c.row().id + " " + c.format() + " " + c.template(), c);
            }
            return runs;
        }
    }

    /** Creates what a run needs in its directory: {@code input} is where INPUT points. */
    @FunctionalInterface
    interface Setup {
        void prepare(Path dir, Path input) throws IOException;
    }

    /** One row of the catalogue: its id and exit code, the runs that provoke it, and in which formats. */
    static final class Row {
        final String id;
        final int exit;
        final List<String> runs;
        List<String> formats = List.of(".csv");
        Setup setup = (dir, input) -> { };
        Mode mode = Mode.IN_PROCESS;
        boolean warning;
        boolean result;
        String message;
        Set<String> documentedCommands;
        Class<?> coveredBy;

        /** Runs made in the first format only. */
        List<String> once = List.of();

        Row(String id, int exit, List<String> runs) {
            this.id = id;
            this.exit = exit;
            this.runs = runs;
        }

        Row once(List<String> extra) {
            once = extra;
            return this;
        }

        /** Every (format, run) pair of the row. */
        Stream<String[]> cases() {
            return Stream.concat(formats.stream().flatMap(f -> runs.stream().map(r -> new String[] {f, r})),
                    once.stream().map(r -> new String[] {formats.getFirst(), r}));
        }

        static Row coveredBy(String id, int exit, String commands, Class<?> test) {
            Row row = new Row(id, exit, List.of());
            row.documentedCommands = new TreeSet<>(List.of(commands.split(",\\s*")));
            row.coveredBy = test;
            return row;
        }

        String id() {
            return id;
        }

        Row formats(String... extensions) {
            return formats(List.of(extensions));
        }

        Row formats(List<String> extensions) {
            formats = extensions;
            return this;
        }

        Row setup(Setup s) {
            setup = s;
            return this;
        }

        /** INPUT holds these columns, in each of the row's formats. */
        Row table(Col... columns) {
            return setup((dir, input) -> {
                if (input.toString().endsWith(".csv.gz")) {
                    gzip(input, Tables.csv(columns));
                } else {
                    Tables.write(input, columns);
                }
            });
        }

        Row mode(Mode m) {
            mode = m;
            return this;
        }

        /** The exit code is a result, not an error: one line on stdout matches the message. */
        Row result() {
            result = true;
            return this;
        }

        /** The run succeeds with a warning line, which the message matches. */
        Row warning() {
            warning = true;
            return this;
        }

        Set<String> commands() {
            if (documentedCommands != null) {
                return documentedCommands;
            }
            return Stream.concat(runs.stream(), once.stream()).map(r -> r.split(" ")[0])
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        boolean matches(String printed) {
            StringBuilder regex = new StringBuilder();
            for (String literal : message.split("…", -1)) {
                regex.append(regex.isEmpty() ? "" : ".*").append(Pattern.quote(literal));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(printed).matches();
        }
    }

    static Row row(String id, int exit, String... runs) {
        return new Row(id, exit, List.of(runs));
    }

    static Row row(String id, int exit, List<String> runs) {
        return new Row(id, exit, runs);
    }

    // ---------------------------------------------------------------------------------------------

    /** The catalogue table of docs/errors.md: {@code | `id` | commands | situation | `message` | exit |}. */
    static List<Row> documentedRows() {
        Pattern line = Pattern.compile("^\\| `([a-z0-9-]+)` \\|(.*)\\|\\s*(\\d+)\\s*\\|\\s*$");
        List<Row> rows = new ArrayList<>();
        try {
            for (String text : Files.readAllLines(DOCS)) {
                Matcher m = line.matcher(text);
                if (!m.matches()) {
                    continue;
                }
                String[] cells = m.group(2).split("(?<!\\\\)\\|");
                Row row = new Row(m.group(1), Integer.parseInt(m.group(3)), List.of());
                row.documentedCommands = new TreeSet<>(List.of(cells[0].strip().split(",\\s*")));
                Matcher code = Pattern.compile("`([^`]*)`").matcher(cells[cells.length - 1]);
                row.message = code.find() ? code.group(1).replace("\\|", "|") : "";
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static List<String> ids(List<Row> rows) {
        return rows.stream().map(Row::id).sorted().toList();
    }

    /** The test method of a row covered elsewhere: {@code not-enough-memory} is {@code notEnoughMemory}. */
    static String testMethod(String id) {
        String[] words = id.split("-");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }

    private static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/errors.md");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/errors.md not found above " + Path.of("").toAbsolutePath());
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Groups of customers 1..4, segments 0, 0, 1, 1, in these groups. */
    static Col[] groups(String... groups) {
        return new Col[] {col("customer_id", 1L, 2L, 3L, 4L), col("segment", 0L, 0L, 1L, 1L),
                col("group", (Object[]) (groups.length == 0 ? new String[] {"test", "control", "test", "control"} : groups))};
    }

    /** Outcomes of customers with ids 1..4: these columns, or by default a conversion flag each. */
    static Col[] outcomes(Col... columns) {
        return columns.length > 0 ? columns : new Col[] {col("customer_id", 1L, 2L, 3L, 4L), col("converted", 1L, 0L, 0L, 1L)};
    }

    /** INPUT holds the groups, in the row's format, and {@code DIR/o.csv} the outcomes. */
    static Setup campaign(Col[] groups, Col[] outcomes) {
        return (dir, input) -> {
            Tables.write(input, groups);
            Tables.write(dir.resolve("o.csv"), outcomes);
        };
    }

    /** Customers with ids 1..3 and two numeric features. */
    static Col[] standard() {
        return new Col[] {col("customer_id", 1L, 2L, 3L), col("spend", 1.5, 20.0, 3.5), col("visits", 2.0, 9.0, 1.0)};
    }

    /** {@link #standard()} with {@code value} as the spend of the given (1-based) row. */
    static Col[] standard(int row, Double value) {
        Col[] columns = standard();
        columns[1].values()[row - 1] = value;
        return columns;
    }

    static Col[] withRegion() {
        return new Col[] {col("customer_id", 1L, 2L), col("spend", 1.0, 2.0), col("region", "north", "south")};
    }

    /** Every command that reads a model, given {@code model}. */
    private static List<String> withModel(String model) {
        return List.of("predict -m " + model + " -i GOOD -o DIR/p.csv", "evaluate -m " + model + " -i GOOD",
                "report -m " + model + " -i GOOD -o DIR/r.html", "drift -m " + model + " --before GOOD --after GOOD");
    }

    /** A run of each command for each output it writes, into {@code dir}. */
    private static List<String> outputsIn(String dir) {
        return Stream.of("fit -i GOOD --k 2 -m DIR/m.json -a OUT/a.csv",
                "fit -i GOOD --algorithm hierarchical --k 2 -m OUT/h.json --dendrogram OUT/d.png",
                "predict -m MODEL -i GOOD -o OUT/p.csv", "generate --customers 20000 -o OUT/g.csv",
                "elbow -i GOOD --k 1..2 -o OUT/e.json", "elbow -i GOOD --k 1..2 -o OUT/e.parquet", "elbow -i GOOD --k 1..2 --plot OUT/e.png",
                "evaluate -m MODEL -i GOOD --json OUT/v.json", "report -m MODEL -i GOOD -o OUT/r.html",
                "report -m MODEL -i GOOD -o DIR/r.html --plots OUT", "pca -i GOOD -o OUT/pc.arrow",
                "rfm -t TRANSACTIONS -o OUT/r.csv", "drift -m MODEL --before GOOD --after GOOD --json OUT/d.json",
                "dbscan --suggest-eps -i GOOD --min-samples 2 --curve OUT/k.csv", "dbscan --suggest-eps -i GOOD --min-samples 2 --plot OUT/k.png")
                .map(r -> r.replace("OUT", dir)).toList();
    }

    /** Transactions of customers 1 and 2, with {@code timestamp} and {@code amount} as the given (1-based) row's. */
    static Col[] transactions(int row, String timestamp, Double amount) {
        Col[] columns = {col("customer_id", 1L, 2L, 1L), col("timestamp", "2024-01-02", "2024-02-03", "2024-03-01"),
                col("amount", 10.0, 5.5, 7.0)};
        columns[1].values()[row - 1] = timestamp;
        columns[2].values()[row - 1] = amount;
        return columns;
    }

    /** A CSV of {@code n} customers with two features. */
    private static String manyCustomers(int n) {
        StringBuilder csv = new StringBuilder("customer_id,spend,visits\n");
        for (int i = 0; i < n; i++) {
            csv.append(i).append(',').append(i % 97).append(',').append(i % 13).append('\n');
        }
        return csv.toString();
    }

    /** Fits a model of {@code input} into {@code target}, with {@code options} such as {@code --k 3}. */
    static void fitModel(Path input, Path target, String... options) {
        List<String> args = new ArrayList<>(List.of("fit", "-i", input.toString(), "-m", target.toString(), "-q"));
        args.addAll(List.of(options));
        Run fit = inProcess(args.toArray(String[]::new));
        assertEquals(0, fit.code(), fit::toString);
    }

    private static List<String> withK(int k, List<String> runs) {
        return runs.stream().map(r -> r.replace("--k 2", "--k " + k)).toList();
    }

    private static List<String> scaledNone(List<String> runs) {
        return runs.stream().map(r -> r + " --scale none").toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * A header or schema of {@code spend, visits} and no rows; in Parquet, through Segmenta's writer
     * (Arrow's writes no file for no rows).
     */
    private static void withoutRows(Path input) throws IOException {
        if (!input.toString().endsWith(".parquet")) {
            Tables.write(input, col("spend"), col("visits"));
            return;
        }
        try (TableWriter out = TableWriter.open(input, List.of(new Column("spend", ColumnType.FLOAT64),
                new Column("visits", ColumnType.FLOAT64)))) {
            out.commit();
        }
    }

    /**
     * {@link #standard()} as Segmenta's Parquet writer writes it (with page checksums), then one bit of
     * the second spend value flipped, as a bad disk or a bad copy would.
     */
    private static void withFlippedPage(Path input) throws IOException {
        try (TableWriter out = TableWriter.open(input, List.of(new Column("customer_id", ColumnType.INT64),
                new Column("spend", ColumnType.FLOAT64), new Column("visits", ColumnType.FLOAT64)))) {
            // Values with full mantissas: Snappy keeps them as literals, so their bytes are in the page.
            out.write(3, new long[] {1, 2, 3}, new double[] {1.2345678901, 20.987654321, 3.1415926535},
                    new double[] {2.0, 9.0, 1.0});
            out.commit();
        }
        byte[] bytes = Files.readAllBytes(input);
        byte[] twenty = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(20.987654321).array();
        for (int i = 0; i + 8 <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + 8, twenty, 0, 8)) {
                bytes[i + 7] ^= 0x08;
                Files.write(input, bytes);
                return;
            }
        }
        throw new IllegalStateException("20.987654321 is not in " + input);
    }

    /** A valid file of the input's format, cut in half. */
    private static void truncate(Path input) throws IOException {
        Object[] ids = new Object[2000];
        Object[] spend = new Object[2000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) i;
            spend[i] = i * 0.5;
        }
        Col[] columns = {col("customer_id", ids), col("spend", spend), col("visits", spend)};
        if (input.toString().endsWith(".csv.gz")) {
            gzip(input, Tables.csv(columns));
        } else {
            Tables.write(input, columns);
        }
        byte[] bytes = Files.readAllBytes(input);
        Files.write(input, Arrays.copyOf(bytes, bytes.length / 2));
    }

    private static void gzip(Path file, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(file, bytes.toByteArray());
    }

    static {
        assertEquals(ROWS.size(), ROWS.stream().map(Row::id).distinct().count(), "row ids are unique");
    }
}
