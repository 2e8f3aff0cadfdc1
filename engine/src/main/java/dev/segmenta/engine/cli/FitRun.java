package dev.segmenta.engine.cli;

import dev.segmenta.engine.Segmenter;
import dev.segmenta.engine.cluster.KMeansListener;
import dev.segmenta.engine.cluster.KMeansParams;
import dev.segmenta.engine.cluster.KMeansResult;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.kernels.KernelSelection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A fit as the CLI runs it: backend choice, progress lines on stderr, and the one-line summary. */
final class FitRun {

    private FitRun() {
    }

    /**
     * @param iterationNanos the time of every Lloyd iteration of every restart but each restart's first
     *                       (which also pays for JIT compilation and cache warm-up)
     */
    record Result(Segmenter.Outcome outcome, KernelSelection backend, int threads, long[] iterationNanos) {

        SegmentModel model() {
            return outcome.model();
        }

        /** The final summary: what was found, how long it took, on what. */
        String summary() {
            SegmentModel m = outcome.model();
            KMeansResult r = outcome.fit().result();
            double seconds = outcome.nanos() / 1e9;
            double msPerIteration = median(iterationNanos) / 1e6;
            double pointsPerSecond = msPerIteration > 0 ? m.trainingRows() / (msPerIteration / 1e3) : 0;
            return String.format(Locale.ROOT,
                    "k=%d segments of %,d customers x %d features | inertia %.6g | %d iterations%s "
                            + "| fit %.3f s (init %.3f s, median %.2f ms/iteration, %.0f M points/s) "
                            + "| %d restarts | backend %s, %d threads",
                    m.k(), m.trainingRows(), m.dimensions(), m.inertia(), r.iterations(),
                    r.converged() ? " (converged)" : " (iteration cap reached)",
                    seconds, r.initNanos() / 1e9, msPerIteration, pointsPerSecond / 1e6,
                    m.restarts(), backend.kernels().name(), threads);
        }
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

    static Result fit(Dataset data, KMeansParams params, String scaling, KernelSelection backend,
                      BlockExecutor executor, OutputOptions output, String source) {
        List<Long> steadyIterations = new ArrayList<>();
        KMeansListener listener = new KMeansListener() {
            @Override
            public void initialised(int restart, long nanos) {
                output.progress("restart %d: k-means++ seeding took %.3f s", restart + 1, nanos / 1e9);
            }

            @Override
            public void iteration(int restart, int iteration, double inertia, double shift, long nanos) {
                output.progress("restart %d iteration %3d: inertia %.6g, centroid shift %.3g (%.1f ms)",
                        restart + 1, iteration, inertia, shift, nanos / 1e6);
                if (iteration > 1) {
                    steadyIterations.add(nanos);
                }
            }

            @Override
            public void restartFinished(int restart, KMeansResult result) {
                output.progress("restart %d: inertia %.6g after %d iterations%s", restart + 1, result.inertia(),
                        result.iterations(), result.converged() ? " (converged)" : " (iteration cap reached)");
            }
        };
        Segmenter.Outcome outcome = Segmenter.fit(data, params, scaling, backend.kernels(), executor, listener,
                source, Version.segmenta());
        long[] steady = steadyIterations.stream().mapToLong(Long::longValue).toArray();
        if (steady.length == 0) {
            steady = outcome.fit().result().iterationNanos();
        }
        return new Result(outcome, backend, executor.threads(), steady);
    }
}
