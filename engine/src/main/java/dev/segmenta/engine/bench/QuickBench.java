package dev.segmenta.engine.bench;

import dev.segmenta.engine.KernelWarmup;
import dev.segmenta.engine.cluster.KMeans;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansPasses;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.kernels.KernelSelection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The fixed, short benchmark subset behind {@code segmenta bench}: the machine's ceilings, then for
 * each backend a Lloyd pass at a bandwidth-bound and a compute-bound shape and a small whole fit.
 * <ol>
 *   <li>read bandwidth over {@value Ceilings#DEFAULT_MEGABYTES} MB and the FMA ceiling ({@link Ceilings});</li>
 *   <li>one Lloyd pass over {@code rows} x 8 customers, k=8 (bandwidth-bound: 4.8 flops per byte);</li>
 *   <li>one Lloyd pass over {@code rows} x 32 customers, k=256 (compute-bound: 181 flops per byte);</li>
 *   <li>a fit of {@code rows} x 8 customers with 3 true segments, k=8: k-means++ seeding and
 *       {@value #FIT_ITERATIONS} Lloyd iterations (tolerance 0, so all of them run), one restart.</li>
 * </ol>
 * Each is warmed up (at least two runs and {@value #WARMUP_MS} ms), then timed for {@value #BUDGET_MS} ms
 * and at least {@value #MIN_RUNS} runs (one, when a single run is longer than that: the scalar backend at
 * 1M x 32, k=256); the median is reported ({@link Timing}). Data are
 * {@link BenchInputs} customers; starting centroids are customers spread over the data.
 */
public final class QuickBench {

    /** Customers per pass and fit unless told otherwise. */
    public static final long DEFAULT_ROWS = 1_000_000;
    /** The fit has k=8, so it needs 8 customers. */
    public static final long MIN_ROWS = 8;
    static final int FIT_D = 8;
    static final int FIT_K = 8;
    static final int FIT_SEGMENTS = 3;
    static final int FIT_ITERATIONS = 20;
    static final long WARMUP_MS = 500;
    static final long BUDGET_MS = 1500;
    static final int MIN_RUNS = 3;
    private static final int MAX_RUNS = 100;
    private static final int DATA_SEGMENTS = 16;
    private static final long SEED = 42;

    /**
     * The heap a run holds per customer: the values of its three data sets (8, 32 and 8 features), their
     * ids, and a label and a distance per customer for the pass running and for the fit.
     */
    static final long BYTES_PER_ROW = (8 + 32 + FIT_D) * Float.BYTES + 3L * Long.BYTES + 2L * (Integer.BYTES + Float.BYTES);

    /** The Lloyd pass shapes: (features, centroids). */
    private static final int[][] LLOYD_SHAPES = {{8, 8}, {32, 256}};

    private final long rows;
    private final BlockExecutor executor;
    private final List<KernelSelection> backends;
    private final Consumer<String> progress;
    private double bandwidthGbPerSecond;
    private double fmaGflopsPerSecond;

    /**
     * @param rows     customers per pass and fit ({@link #DEFAULT_ROWS} for comparable numbers)
     * @param backends the started backends to measure, each with its description
     * @param progress told what runs next (stderr in the CLI)
     */
    public QuickBench(long rows, BlockExecutor executor, List<KernelSelection> backends, Consumer<String> progress) {
        if (rows < MIN_ROWS) {
            throw new IllegalArgumentException("need at least " + MIN_ROWS + " rows, got " + rows);
        }
        this.rows = rows;
        this.executor = executor;
        this.backends = List.copyOf(backends);
        this.progress = progress;
    }

    /** About the heap a run of {@code rows} customers needs: its data and the bandwidth array. */
    public static long memory(long rows) {
        return (long) Math.min(Long.MAX_VALUE, (double) rows * BYTES_PER_ROW + Ceilings.DEFAULT_MEGABYTES * (double) (1 << 20));
    }

    public BenchReport run(String version) {
        List<BenchResult> results = new ArrayList<>();
        results.addAll(ceilings());
        List<BenchInputs> inputs = new ArrayList<>();
        for (int[] shape : LLOYD_SHAPES) {
            progress.accept(String.format(Locale.ROOT, "generating %s x %d customers", size(rows), shape[0]));
            inputs.add(BenchInputs.customers(rows, shape[0], DATA_SEGMENTS, SEED, executor));
        }
        progress.accept(String.format(Locale.ROOT, "generating %s x %d customers in %d segments for the fit",
                size(rows), FIT_D, FIT_SEGMENTS));
        BenchInputs fitInputs = BenchInputs.customers(rows, FIT_D, FIT_SEGMENTS, SEED, executor);
        for (KernelSelection backend : backends) {
            progress.accept("compiling the " + backend.kernels().name() + " kernels");
            KernelWarmup.run(backend.kernels());
            for (int s = 0; s < LLOYD_SHAPES.length; s++) {
                results.add(lloydPass(backend, inputs.get(s), LLOYD_SHAPES[s][1]));
            }
            results.add(fit(backend, fitInputs));
        }
        return new BenchReport(version, MachineInfo.here(), executor.threads(), rows, results);
    }

    private List<BenchResult> ceilings() {
        String why = Ceilings.vectorUnavailable().orElse(null);
        if (why != null) {
            progress.accept("ceilings not measured: " + why);
            return List.of();
        }
        progress.accept("measuring read bandwidth (" + Ceilings.DEFAULT_MEGABYTES + " MB)");
        Ceilings.ReadBandwidth read = new Ceilings.ReadBandwidth(Ceilings.DEFAULT_MEGABYTES, executor);
        Timing readTime = time(read::run);
        bandwidthGbPerSecond = read.bytes() / 1e9 / readTime.medianSeconds();
        progress.accept("measuring the FMA ceiling");
        Ceilings.FmaPeak fma = new Ceilings.FmaPeak(executor);
        Timing fmaTime = time(fma::run);
        fmaGflopsPerSecond = fma.flops() / 1e9 / fmaTime.medianSeconds();
        String cpu = "CPU, " + executor.threads() + " threads";
        return List.of(
                result("read bandwidth, " + Ceilings.DEFAULT_MEGABYTES + " MB", "-", cpu, readTime, null,
                        bandwidthGbPerSecond, null, ""),
                result("FMA ceiling, " + Ceilings.FMA_ACCUMULATORS + " chains", "-",
                        cpu + ", " + fma.vectorBits() + "-bit vectors", fmaTime, null, null, fmaGflopsPerSecond, ""));
    }

    private BenchResult lloydPass(KernelSelection backend, BenchInputs in, int k) {
        int d = in.data().dimensions();
        String name = String.format(Locale.ROOT, "Lloyd pass %s x %d, k=%d", size(rows), d, k);
        progress.accept(name + " on " + backend.kernels().name());
        float[] centroids = in.centroidsFromData(k);
        Timing t;
        try (KMeansPasses passes = new KMeansPasses(in.data(), backend.kernels(), executor, k)) {
            t = time(() -> passes.lloyd(centroids, k));
        }
        KernelWork work = KernelWork.lloydPass(rows, d, k);
        double seconds = t.medianSeconds();
        return result(name, backend.kernels().name(), device(backend), t, work.pointsPerSecond(seconds),
                work.gigabytesPerSecond(seconds), work.gigaflopsPerSecond(seconds),
                String.format(Locale.ROOT, "%.1f flops/byte", work.intensity()));
    }

    private BenchResult fit(KernelSelection backend, BenchInputs in) {
        String name = String.format(Locale.ROOT, "fit %s x %d, k=%d, %d iterations", size(rows), FIT_D, FIT_K,
                FIT_ITERATIONS);
        progress.accept(name + " on " + backend.kernels().name());
        KMeansParams params = new KMeansParams(FIT_K, FIT_ITERATIONS, 0, 1, 1);
        KMeansResult[] last = new KMeansResult[1];
        Timing t = time(() -> {
            last[0] = KMeans.fit(in.data(), params, backend.kernels(), executor, KMeansListener.NONE,
                    in.meanVariance()).result();
            return last[0].inertia();
        });
        KMeansResult r = last[0];
        double iterationSeconds = steadyIterationNanos(r.iterationNanos()) / 1e9;
        KernelWork pass = KernelWork.lloydPass(rows, FIT_D, FIT_K);
        String note = String.format(Locale.ROOT, "%d iterations, seeding %.1f ms, median iteration %.2f ms",
                r.iterations(), r.initNanos() / 1e6, iterationSeconds * 1e3);
        return result(name, backend.kernels().name(), device(backend), t, pass.pointsPerSecond(iterationSeconds),
                null, null, note);
    }

    /** The median iteration but the first, which also pays for cache warm-up after seeding. */
    private static double steadyIterationNanos(long[] nanos) {
        long[] steady = nanos.length > 1 ? Arrays.copyOfRange(nanos, 1, nanos.length) : nanos.clone();
        Arrays.sort(steady);
        int mid = steady.length / 2;
        return steady.length % 2 == 1 ? steady[mid] : (steady[mid - 1] + steady[mid]) / 2.0;
    }

    private static Timing time(DoubleSupplier operation) {
        return Timing.measure(operation, WARMUP_MS * 1_000_000, BUDGET_MS * 1_000_000, MIN_RUNS, MAX_RUNS);
    }

    private BenchResult result(String name, String backend, String device, Timing t, Double points, Double gb,
                               Double gflops, String note) {
        Double bandwidthShare = gb != null && bandwidthGbPerSecond > 0 ? gb / bandwidthGbPerSecond : null;
        Double fmaShare = gflops != null && fmaGflopsPerSecond > 0 ? gflops / fmaGflopsPerSecond : null;
        return new BenchResult(name, backend, device, t.runs(), t.medianMillis(), t.minNanos() / 1e6,
                t.maxNanos() / 1e6, points, gb, gflops, bandwidthShare, fmaShare, note);
    }

    /** What the backend runs on, without how it was chosen. */
    public static String device(KernelSelection backend) {
        String reason = backend.reason();
        int how = reason.lastIndexOf(" (");
        return how > 0 ? reason.substring(0, how) : reason;
    }

    /** 1000000 as "1M", 20000 as "20k", others as digits. */
    static String size(long n) {
        if (n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        if (n % 1_000 == 0) {
            return n / 1_000 + "k";
        }
        return Long.toString(n);
    }
}
