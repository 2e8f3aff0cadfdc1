package dev.segmenta.io;

import java.nio.charset.StandardCharsets;

/**
 * Numbers in CSV cells, parsed from the bytes without a String: the forms Arrow's CSV reader took
 * ({@code 12}, {@code -1.5}, {@code .5}, {@code 1.}, {@code 2.5e-3}, {@code inf}, {@code nan}, after
 * trimming spaces and tabs) and nothing else, so that a file reads as the same numbers as before.
 *
 * <p>Doubles are exactly what {@link Double#parseDouble} gives for the same text: a number whose
 * digits make an integer below 2^53, with a decimal exponent of at most 22 either way, is one correctly rounded
 * multiplication or division of two exact doubles (Clinger, "How to read floating point numbers
 * accurately", PLDI 1990: the fast path); any other number goes to {@link Double#parseDouble}.
 */
final class CsvNumbers {

    /** Returned by {@link #parseDouble} for text that is not a number: a NaN no parse gives. */
    static final long INVALID_BITS = 0x7ff8_dead_beef_0001L;
    /** Returned by {@link #parseLong} for text that is not an integer in the long range. */
    static final long INVALID_LONG = Long.MIN_VALUE;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    private static final long EXACT_MANTISSA = 1L << 53;

    private CsvNumbers() {
    }

    /** The double in {@code text[from, to)}, as raw bits; {@link #INVALID_BITS} if it is not a number. */
    static long parseDouble(byte[] text, int from, int to) {
        long simple = parseSimple(text, from, to);
        if (simple != INVALID_BITS) {
            return simple;
        }
        while (from < to && isBlank(text[from])) {
            from++;
        }
        while (to > from && isBlank(text[to - 1])) {
            to--;
        }
        int i = from;
        boolean negative = false;
        if (i < to && (text[i] == '-' || text[i] == '+')) {
            negative = text[i] == '-';
            i++;
        }
        if (i < to && (text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z') {
            return special(text, i, to, negative);
        }
        long mantissa = 0;
        int significant = 0;
        int exponent = 0;
        boolean digits = false;
        boolean inexact = false;
        for (; i < to && isDigit(text[i]); i++) {
            digits = true;
            int d = text[i] - '0';
            if (significant < 18) {
                if (mantissa != 0 || d != 0) {
                    mantissa = mantissa * 10 + d;
                    significant++;
                }
            } else {
                exponent++;
                inexact |= d != 0;
            }
        }
        if (i < to && text[i] == '.') {
            for (i++; i < to && isDigit(text[i]); i++) {
                digits = true;
                int d = text[i] - '0';
                if (significant < 18) {
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        significant++;
                    }
                    exponent--;
                } else {
                    inexact |= d != 0;
                }
            }
        }
        if (!digits) {
            return INVALID_BITS;
        }
        if (i < to && (text[i] == 'e' || text[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (text[i] == '-' || text[i] == '+')) {
                negativeExponent = text[i] == '-';
                i++;
            }
            if (i == to || !isDigit(text[i])) {
                return INVALID_BITS;
            }
            int written = 0;
            for (; i < to && isDigit(text[i]); i++) {
                // Beyond a million the value is 0 or infinite whatever the digits; the cap keeps the sum in range.
                written = Math.min(written * 10 + text[i] - '0', 1_000_000);
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i != to) {
            return INVALID_BITS;
        }
        if (mantissa == 0 && !inexact) {
            return Double.doubleToRawLongBits(negative ? -0.0 : 0.0);
        }
        if (!inexact && mantissa < EXACT_MANTISSA && exponent >= -22 && exponent <= 22) {
            double value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
            return Double.doubleToRawLongBits(negative ? -value : value);
        }
        return Double.doubleToRawLongBits(Double.parseDouble(new String(text, from, to - from, StandardCharsets.ISO_8859_1)));
    }

    /**
     * The common case on its own, for speed: {@code [-]digits[.digits]}, at most 18 digits, nothing
     * around it; {@link #INVALID_BITS} for anything else, which the full parse then takes.
     */
    private static long parseSimple(byte[] text, int from, int to) {
        int i = from;
        boolean negative = i < to && text[i] == '-';
        if (negative) {
            i++;
        }
        int digitsStart = i;
        long mantissa = 0;
        int point = -1;
        for (; i < to; i++) {
            int d = text[i] - '0';
            if (d >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
            } else if (text[i] == '.' && point < 0) {
                point = i;
            } else {
                return INVALID_BITS;
            }
        }
        int digits = to - digitsStart - (point >= 0 ? 1 : 0);
        if (digits == 0 || digits > 18) {
            return INVALID_BITS;
        }
        int scale = point < 0 ? 0 : to - point - 1;
        if (scale > 22 || mantissa >= EXACT_MANTISSA) {
            return INVALID_BITS;
        }
        double value = scale == 0 ? mantissa : mantissa / POWERS_OF_TEN[scale];
        return Double.doubleToRawLongBits(negative ? -value : value);
    }

    /** {@code inf}, {@code infinity} and {@code nan} in any case, as Arrow's parser (fast_float) reads them. */
    private static long special(byte[] text, int i, int to, boolean negative) {
        if (matches(text, i, to, "inf") || matches(text, i, to, "infinity")) {
            return Double.doubleToRawLongBits(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return matches(text, i, to, "nan") ? Double.doubleToRawLongBits(Double.NaN) : INVALID_BITS;
    }

    private static boolean matches(byte[] text, int i, int to, String word) {
        if (to - i != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if ((text[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The integer in {@code text[from, to)} (spaces and tabs around it allowed); {@link #INVALID_LONG} if none. */
    static long parseLong(byte[] text, int from, int to) {
        while (from < to && isBlank(text[from])) {
            from++;
        }
        while (to > from && isBlank(text[to - 1])) {
            to--;
        }
        int i = from;
        boolean negative = false;
        if (i < to && (text[i] == '-' || text[i] == '+')) {
            negative = text[i] == '-';
            i++;
        }
        if (i == to) {
            return INVALID_LONG;
        }
        long value = 0;
        for (; i < to; i++) {
            if (!isDigit(text[i])) {
                return INVALID_LONG;
            }
            // Accumulated negatively, so that Long.MIN_VALUE itself is in range.
            long next = value * 10 - (text[i] - '0');
            if (value < Long.MIN_VALUE / 10 || next > value) {
                return INVALID_LONG;
            }
            value = next;
        }
        if (!negative && value == Long.MIN_VALUE) {
            return INVALID_LONG;
        }
        return negative ? value : -value;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
