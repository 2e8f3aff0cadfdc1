package dev.segmenta.io;

import java.nio.file.Path;

/**
 * The input cannot be used as given: the message names the file, the row and/or column and what
 * to do about it, in one line. The CLI maps it to exit code 3.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(oneLine(message));
    }

    public BadInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * The message as one line: what it quotes from the file (a column name, a cell) may hold line
     * breaks, which are shown escaped. Found by fuzzing the readers.
     */
    private static String oneLine(String message) {
        return message == null ? null : message.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * This failure as one that names {@code file} first, for messages from code that sees only the
     * data (the clustering: "only 3 distinct customers but k=4 ...") and not where it came from.
     */
    public BadInputException inFile(Path file) {
        return getMessage().startsWith(file.toString()) ? this : new BadInputException(file + ": " + getMessage(), this);
    }
}
