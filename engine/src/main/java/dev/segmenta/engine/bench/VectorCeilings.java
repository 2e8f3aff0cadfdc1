package dev.segmenta.engine.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The Vector API loops of {@link Ceilings}, in their own class so nothing else links against the incubator module. */
final class VectorCeilings {

    static final int ACCUMULATORS = 12;
    static final int STEPS = 1 << 22;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorCeilings() {
    }

    static int lanes() {
        return SPECIES.length();
    }

    static int bits() {
        return SPECIES.vectorBitSize();
    }

    /** Four independent accumulators, so the adds' latency never limits the loads. */
    static double sum(float[] data, int from, int to) {
        int step = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = from;
        for (int bound = to - 4 * step; i <= bound; i += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, data, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, data, i + step));
            s2 = s2.add(FloatVector.fromArray(SPECIES, data, i + 2 * step));
            s3 = s3.add(FloatVector.fromArray(SPECIES, data, i + 3 * step));
        }
        double total = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            total += data[i];
        }
        return total;
    }

    /** {@value #ACCUMULATORS} dependency chains of {@code acc = acc * a + b}; with {@code a < 1} they converge, so never overflow. */
    static double fmaChains(float a, float b) {
        FloatVector va = FloatVector.broadcast(SPECIES, a);
        FloatVector vb = FloatVector.broadcast(SPECIES, b);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 0f);
        FloatVector c1 = FloatVector.broadcast(SPECIES, 1f);
        FloatVector c2 = FloatVector.broadcast(SPECIES, 2f);
        FloatVector c3 = FloatVector.broadcast(SPECIES, 3f);
        FloatVector c4 = FloatVector.broadcast(SPECIES, 4f);
        FloatVector c5 = FloatVector.broadcast(SPECIES, 5f);
        FloatVector c6 = FloatVector.broadcast(SPECIES, 6f);
        FloatVector c7 = FloatVector.broadcast(SPECIES, 7f);
        FloatVector c8 = FloatVector.broadcast(SPECIES, 8f);
        FloatVector c9 = FloatVector.broadcast(SPECIES, 9f);
        FloatVector c10 = FloatVector.broadcast(SPECIES, 10f);
        FloatVector c11 = FloatVector.broadcast(SPECIES, 11f);
        for (int s = 0; s < STEPS; s++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
        }
        FloatVector all = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7))).add(c8.add(c9).add(c10.add(c11)));
        return all.reduceLanes(VectorOperators.ADD);
    }
}
