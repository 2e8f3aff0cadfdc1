package dev.segmenta.engine.cluster;

import java.util.Arrays;

/** A growable list of ints without boxing, reused across queries by clearing it. */
final class IntBuffer {

    private int[] values = new int[16];
    private int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }
}
