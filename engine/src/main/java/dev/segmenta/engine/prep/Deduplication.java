package dev.segmenta.engine.prep;

import java.util.Locale;

/** Which row of a customer id that appears more than once is kept: the second preparation step. */
public enum Deduplication {
    /** Every row is kept (the default). */
    NONE,
    /** The customer's first row in file order. */
    FIRST,
    /** The customer's last row in file order: the newest, in an export that appends updates. */
    LAST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Deduplication of(String label) {
        for (Deduplication d : values()) {
            if (d.label().equals(label)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown de-duplication '" + label + "'; use none, first or last");
    }
}
