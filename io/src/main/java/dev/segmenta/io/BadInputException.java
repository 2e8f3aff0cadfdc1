package dev.segmenta.io;

/**
 * The input cannot be used as given: the message names the file, the row and/or column and what
 * to do about it, in one line. The CLI maps it to exit code 3.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
