package dev.segmenta.engine.cli;

import dev.segmenta.engine.DbscanSegmenter;
import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.data.BlockExecutor;
import dev.segmenta.engine.data.Dataset;
import dev.segmenta.engine.eval.SegmentProfile;
import dev.segmenta.engine.model.SegmentModel;
import dev.segmenta.engine.prep.Preparation;
import dev.segmenta.engine.prep.PreparationCounts;
import dev.segmenta.kernels.KernelSelection;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** {@code fit --algorithm dbscan}: the fit, its outputs and its summary. */
final class DbscanFit {

    private DbscanFit() {
    }

    static void run(FitCommand command, Dbscan dbscan, Dataset data, Preparation preparation, PreparationCounts counts,
                    KernelSelection backend, BlockExecutor executor) throws IOException {
        OutputOptions output = command.output;
        DbscanSegmenter.Outcome outcome = DbscanSegmenter.fit(data, preparation, dbscan, command.scale,
                backend.kernels(), executor, (phase, nanos) -> output.progress("%s in %.2f s", phase, nanos / 1e9),
                command.input.input().toString(), Version.segmenta());
        SegmentModel model = command.labelled(outcome.model());
        Dbscan.Result r = outcome.result();
        if (command.assignments != null) {
            Assignments.write(command.assignments, model.segmentLabels(), data, r.labels(), r.squaredDistances());
            output.progress("wrote %,d assignments to %s (segment -1: noise)", data.rows(), command.assignments);
        }
        command.writeModel(model);
        long rows = data.rows();
        String summary = String.format(Locale.ROOT, "dbscan eps=%.6g min-samples=%d: %d segments + %,d noise (%.1f%%) "
                        + "of %,d customers x %d features | %,d core points (%.1f%%) | inertia %.6g | fit %.3f s "
                        + "| index %s | backend %s, %d threads",
                dbscan.eps(), dbscan.minSamples(), r.clusters(), r.noise(), 100.0 * r.noise() / rows, rows,
                data.dimensions(), r.corePoints(), 100.0 * r.corePoints() / rows, model.inertia(), outcome.nanos() / 1e9,
                r.index().label(), backend.kernels().name(), executor.threads());
        command.printResult(summary, model, SegmentProfile.of(data, r.labels(), r.clusters(), model.scaling(),
                model.preparation().log1p(), false, executor), counts);
        PrintWriter out = command.spec.commandLine().getOut();
        out.printf(Locale.ROOT, "segment -1: %,d customers (%.1f%%) %s%n", r.noise(), 100.0 * r.noise() / rows,
                Assignments.NOISE);
        if (r.clusters() == 0) {
            out.println("no segments: every customer is noise; raise --eps or lower --min-samples "
                    + "('segmenta dbscan --suggest-eps' suggests eps)");
        }
        out.flush();
    }
}
