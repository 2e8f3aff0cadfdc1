package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.Dbscan;
import dev.segmenta.engine.cluster.SpatialIndex;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** DBSCAN's options of {@code fit --algorithm dbscan}. */
public final class DbscanOptions {

    static final String EPS = "--eps";
    static final String MIN_SAMPLES = "--min-samples";
    static final String INDEX = "--index";

    @Option(names = EPS, paramLabel = "E",
            description = "DBSCAN: neighbourhood radius in the scaled feature space (required; 'segmenta dbscan "
                    + "--suggest-eps' suggests one).")
    Double eps;

    @Option(names = MIN_SAMPLES, paramLabel = "N", defaultValue = "" + Dbscan.DEFAULT_MIN_SAMPLES,
            description = "DBSCAN: customers (weighted, itself included) within eps that make a core point. "
                    + "Default: ${DEFAULT-VALUE}.")
    int minSamples;

    @Option(names = INDEX, paramLabel = "KIND", defaultValue = "auto",
            description = "DBSCAN: spatial index: auto (kdtree up to 3 features, else grid), grid or kdtree. "
                    + "The result is the same; only the time differs. Default: ${DEFAULT-VALUE}.")
    SpatialIndex index;

    /** The configured algorithm; a missing or out-of-range value is a usage error. */
    Dbscan dbscan(CommandSpec spec) {
        if (eps == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '" + EPS
                    + "' (for --algorithm dbscan); 'segmenta dbscan --suggest-eps' suggests one");
        }
        if (!(eps > 0) || eps.isInfinite()) {
            throw new ParameterException(spec.commandLine(), EPS + " must be a finite number > 0, got " + eps);
        }
        Options.positive(spec, MIN_SAMPLES, minSamples);
        return new Dbscan(eps, minSamples, index);
    }
}
