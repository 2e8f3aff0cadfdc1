package dev.segmenta.io;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The table formats Segmenta reads and writes, chosen by file extension. */
enum TableFormat {
    PARQUET,
    /** Arrow IPC file format (random access, footer with "ARROW1" magic at both ends). */
    ARROW_FILE,
    /** Arrow IPC streaming format (no footer, ends with an end-of-stream marker). */
    ARROW_STREAM,
    CSV,
    CSV_GZIP;

    static final String KNOWN_EXTENSIONS = ".parquet, .pq, .arrow, .feather, .ipc, .arrows, .csv, .csv.gz";

    static Optional<TableFormat> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Optional.of(PARQUET);
        }
        if (name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".ipc")) {
            return Optional.of(ARROW_FILE);
        }
        if (name.endsWith(".arrows")) {
            return Optional.of(ARROW_STREAM);
        }
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".csv.gz")) {
            return Optional.of(CSV_GZIP);
        }
        return Optional.empty();
    }
}
