package dev.segmenta.engine.cli;

import dev.segmenta.engine.cluster.Agglomerative;
import dev.segmenta.engine.cluster.Linkage;
import dev.segmenta.engine.plot.DendrogramChart;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;

/** The options of {@code fit --algorithm hierarchical}. */
public final class HierarchyOptions {

    static final String LINKAGE = "--linkage";
    static final String CUT_HEIGHT = "--cut-height";
    static final String MICRO_CLUSTERS = "--micro-clusters";
    static final String MERGES = "--merges";
    static final String DENDROGRAM = "--dendrogram";
    static final String DENDROGRAM_LEAVES = "--dendrogram-leaves";

    @Option(names = LINKAGE, paramLabel = "NAME", defaultValue = "ward",
            description = "Hierarchical: ward, complete, average or single linkage. Default: ${DEFAULT-VALUE}.")
    Linkage linkage;

    @Option(names = CUT_HEIGHT, paramLabel = "H",
            description = "Hierarchical: cut the dendrogram at this merge height instead of into --k segments.")
    Double cutHeight;

    @Option(names = MICRO_CLUSTERS, paramLabel = "M", defaultValue = "0",
            description = "Hierarchical: first k-means the customers into M micro-clusters, then build the hierarchy of "
                    + "those (weighted by their customers); needed above " + Agglomerative.MAX_EXACT_ROWS
                    + " customers. 0: the exact hierarchy of the customers. Default: ${DEFAULT-VALUE}.")
    int microClusters;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = MERGES, paramLabel = "FILE",
            description = "Hierarchical: also write every merge as scipy's linkage matrix (left, right, height, size) "
                    + "to a .csv, .parquet, .arrow or .arrows file.")
    Path merges;

    @FileRole(FileRole.Role.OUTPUT)
    @Option(names = DENDROGRAM, paramLabel = "FILE.png",
            description = "Hierarchical: also draw the dendrogram's top clusters, with the cut, as a PNG.")
    Path dendrogram;

    @Option(names = DENDROGRAM_LEAVES, paramLabel = "P", defaultValue = "30",
            description = "Hierarchical: clusters at the bottom of the drawn dendrogram (2 to "
                    + DendrogramChart.MAX_LEAVES + "). Default: ${DEFAULT-VALUE}.")
    int dendrogramLeaves;

    /** Checks the options before any work; {@code k} is {@code --k}, or {@code null} when not given. */
    Agglomerative.Cut cut(CommandSpec spec, Integer k) throws IOException {
        if ((k == null) == (cutHeight == null)) {
            throw new ParameterException(spec.commandLine(), k == null
                    ? "Missing required option: '--k' or '" + CUT_HEIGHT + "' (for --algorithm hierarchical)"
                    : "give --k or " + CUT_HEIGHT + ", not both");
        }
        if (microClusters < 0) {
            throw new ParameterException(spec.commandLine(), MICRO_CLUSTERS + " must be 0 or more, got " + microClusters);
        }
        if (dendrogramLeaves < 2 || dendrogramLeaves > DendrogramChart.MAX_LEAVES) {
            throw new ParameterException(spec.commandLine(), DENDROGRAM_LEAVES + " must be 2 to "
                    + DendrogramChart.MAX_LEAVES + ", got " + dendrogramLeaves);
        }
        Options.pngOutput(spec, DENDROGRAM, dendrogram);
        Options.tableOutput(spec, MERGES, merges);
        if (k != null) {
            Options.positive(spec, "--k", k);
            return Agglomerative.Cut.clusters(k);
        }
        Options.nonNegative(spec, CUT_HEIGHT, cutHeight);
        return Agglomerative.Cut.height(cutHeight);
    }
}
