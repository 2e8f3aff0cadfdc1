package dev.segmenta.io;

/**
 * uint64 values, which Arrow hands out as the raw bits of a {@code long} (so 2^63 and above read as
 * negative numbers), as the floating-point numbers they are.
 */
final class UnsignedLongs {

    private UnsignedLongs() {
    }

    /**
     * The uint64 held in {@code bits} as the nearest float. Halving it first (keeping the lowest bit,
     * so that a tie still rounds as it would) brings it into the signed range without a second rounding.
     */
    static float toFloat(long bits) {
        return bits >= 0 ? (float) bits : (float) ((bits >>> 1) | (bits & 1)) * 2f;
    }

    /** As {@link #toFloat}, to the nearest double. */
    static double toDouble(long bits) {
        return bits >= 0 ? (double) bits : (double) ((bits >>> 1) | (bits & 1)) * 2d;
    }
}
