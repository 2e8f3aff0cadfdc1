package dev.segmenta.engine.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A range of segment counts written {@code FROM..TO}, both included, e.g. {@code 2..20}. */
record KRange(int from, int to) {

    /** Parses {@code --k 2..20}. */
    static final class Converter implements ITypeConverter<KRange> {
        @Override
        public KRange convert(String value) {
            String[] parts = value.strip().split("\\.\\.", -1);
            try {
                if (parts.length == 2) {
                    KRange range = new KRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                    if (range.from() >= 1 && range.to() >= range.from()) {
                        return range;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below, with the expected form
            }
            throw new TypeConversionException("'" + value + "' is not a range of k; write FROM..TO with 1 <= FROM <= TO, e.g. 2..20");
        }
    }

    int size() {
        return to - from + 1;
    }
}
