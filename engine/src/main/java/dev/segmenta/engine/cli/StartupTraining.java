package dev.segmenta.engine.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's ahead-of-time cache (JEP 483/514/515): the {@code segmenta}
 * script runs this once per build under {@code -XX:AOTCacheOutput}, and every later start maps the
 * classes it loaded and linked, and the method profiles it gathered, instead of loading them from the
 * jars again. It runs the commands a batch job runs most, on a few thousand generated customers in
 * every input and output format, so that their code paths (readers, writers, the fit, JSON) are in
 * the cache; what it does not touch is loaded as usual.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("segmenta-training");
        try {
            String customers = dir.resolve("c.parquet").toString();
            String csv = dir.resolve("c.csv").toString();
            String arrow = dir.resolve("c.arrow").toString();
            String model = dir.resolve("m.json").toString();
            List<String> runs = List.of(
                    "generate --customers 20000 --features 8 --seed 1 -o " + customers,
                    "generate --customers 2000 --features 8 --seed 2 -o " + csv,
                    "generate --customers 2000 --features 8 --seed 3 -o " + arrow,
                    "generate --transactions 20000 --customers 2000 -o " + dir.resolve("t.parquet"),
                    "fit -i " + csv + " --k 8 -m " + model + " -a " + dir.resolve("a.csv"),
                    "fit -i " + arrow + " --k 8 --init k-means|| -m " + model + " -a " + dir.resolve("a.arrow"),
                    "fit -i " + customers + " --k 8 -m " + model + " -a " + dir.resolve("a.parquet"),
                    "predict -m " + model + " -i " + csv + " -o " + dir.resolve("p.parquet"),
                    "evaluate -m " + model + " -i " + csv,
                    "rfm -t " + dir.resolve("t.parquet") + " -o " + dir.resolve("r.parquet"),
                    "--version");
            PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
            for (String run : runs) {
                int code = SegmentaCli.run(run.split(" "), discard, discard);
                if (code != ExitCodes.OK) {
                    throw new IllegalStateException("training run failed with exit " + code + ": segmenta " + run);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
