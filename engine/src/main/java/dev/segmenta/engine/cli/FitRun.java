package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.Initialization;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.kernels.KernelSelection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A fit as the CLI shows it: progress lines on stderr while it runs, and the one-line summary after. */
final class FitRun implements KMeansListener {

    private final OutputOptions output;
    private final Initialization initialization;
    private final boolean perStep;
    private final List<Long> steadyIterations = new ArrayList<>();

    /**
     * @param perStep whether iterations are many small steps (mini-batch), shown at most once a second,
     *                rather than full passes, each shown
     */
    FitRun(OutputOptions output, Initialization initialization, boolean perStep) {
        this.output = output;
        this.initialization = initialization;
        this.perStep = perStep;
    }

    /** Warns about features that are the same for every customer: they are kept but shape nothing. */
    @Override
    public void dataPlaced(String description) {
        output.progress("data: %s", description);
    }

    @Override
    public void initialised(int restart, long nanos) {
        output.progress("restart %d: %s seeding took %.3f s", restart + 1, initialization.label(), nanos / 1e9);
    }

    @Override
    public void iteration(int restart, int iteration, double inertia, double shift, long nanos) {
        String format = "restart %d %s %3d: inertia %.6g, centroid shift %.3g (%.1f ms)";
        Object[] args = {restart + 1, perStep ? "step" : "iteration", iteration, inertia, shift, nanos / 1e6};
        if (perStep) {
            output.throttledProgress(format, args);
        } else {
            output.progress(format, args);
        }
        if (iteration > 1) {
            steadyIterations.add(nanos);
        }
    }

    @Override
    public void restartFinished(int restart, KMeansResult result) {
        output.progress("restart %d: inertia %.6g after %d %s%s", restart + 1, result.inertia(), result.iterations(),
                perStep ? "steps" : "iterations", result.converged() ? " (converged)" : " (iteration cap reached)");
    }

    /**
     * The final summary: what was found, how long it took, on what. The iteration time is the median
     * of every iteration but each restart's first (which also pays for JIT compilation and cache warm-up).
     */
    String summary(SegmentModel m, KMeansResult r, long nanos, KernelSelection backend, int threads) {
        double msPerIteration = median(steadyIterations.isEmpty() ? r.iterationNanos()
                : steadyIterations.stream().mapToLong(Long::longValue).toArray()) / 1e6;
        double pointsPerSecond = msPerIteration > 0 && !perStep ? m.trainingRows() / (msPerIteration / 1e3) : 0;
        return String.format(Locale.ROOT,
                "%s k=%d segments of %,d customers x %d features | inertia %.6g | %d %s%s "
                        + "| fit %.3f s (init %.3f s, median %.2f ms/%s%s) "
                        + "| %d restarts | backend %s, %d threads",
                m.algorithm(), m.k(), m.trainingRows(), m.dimensions(), m.inertia(), r.iterations(),
                perStep ? "steps" : "iterations", r.converged() ? " (converged)" : " (iteration cap reached)",
                nanos / 1e9, r.initNanos() / 1e9, msPerIteration, perStep ? "step" : "iteration",
                perStep ? "" : String.format(Locale.ROOT, ", %.0f M points/s", pointsPerSecond / 1e6),
                m.restarts(), backend.kernels().name(), threads);
    }

    private static double median(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
