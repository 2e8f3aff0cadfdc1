package dev.segmenta.bench;

import dev.segmenta.engine.cli.SegmentaCli;
import dev.segmenta.io.FeatureBatch;
import dev.segmenta.io.FeatureSource;
import dev.segmenta.io.ReadOptions;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Read throughput of the real readers: a whole customers file through {@link FeatureSource} into the
 * engine's float32 blocks, as {@code segmenta fit} loads it (features only, {@code true_segment} left
 * out, ids kept). The file is written once per trial by {@code segmenta generate} into a temporary
 * directory (under {@code java.io.tmpdir}) and deleted after.
 *
 * <p>Reported per second: files read (the primary score), {@code rows} (customers) and {@code bytes}
 * (of the file on disk) as JMH secondary metrics; {@link JmhReport} shows them as rows/s and MB/s, with
 * the decoded rate ({@code rows * d * 4} bytes of blocks) beside them.
 *
 * <p>Every format is read in Java (Parquet by {@code ParquetScan}, CSV by {@code CsvSource}, Arrow IPC by
 * Arrow Java), so {@code benchmarks.jar} needs nothing beside it.
 * <pre>
 * java -jar bench/target/benchmarks.jar IoBenchmark -p rows=1000000,10000000 -p d=8,32
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IoBenchmark {

    @Param({"parquet", "arrow", "csv"})
    String format;

    @Param("1000000")
    long rows;

    @Param("8")
    int d;

    private Path directory;
    private Path file;
    private ReadOptions options;
    private long fileBytes;

    /** Rows and file bytes read, per second of measurement. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long rows;
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("segmenta-io-bench");
        file = directory.resolve("customers." + format);
        StringWriter log = new StringWriter();
        int code = SegmentaCli.run(new String[] {"generate", "--customers", Long.toString(rows), "--features",
                Integer.toString(d), "--segments", "8", "--seed", "7", "--out", file.toString(), "--quiet"},
                new PrintWriter(log), new PrintWriter(log));
        BenchData.check(code == 0, "segmenta generate failed (exit %d): %s", code, log);
        fileBytes = Files.size(file);
        options = ReadOptions.defaults().withExcluded(Set.of("true_segment"));
        long read = readAll();
        BenchData.check(read == rows, "read %d rows of %d from %s", read, rows, file);
        System.out.printf("%s: %,d rows x %d features, %,d bytes%n", file.getFileName(), rows, d, fileBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public long read(Counters counters) {
        long read = readAll();
        counters.rows += read;
        counters.bytes += fileBytes;
        return read;
    }

    private long readAll() {
        long read = 0;
        try (FeatureSource source = FeatureSource.open(file, options)) {
            BenchData.check(source.featureNames().size() == d, "expected %d features, got %s", d, source.featureNames());
            for (FeatureBatch batch = source.next(); batch != null; batch = source.next()) {
                read += batch.rows();
            }
        }
        return read;
    }
}
