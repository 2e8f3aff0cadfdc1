package dev.segmenta.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API species used by {@link SimdKernels}, kept apart so that no incubator class is
 * initialised before {@link SimdKernelProvider} has checked that the module is readable.
 *
 * <p>The float species is the platform's preferred one unless the test-only property
 * {@value #VECTOR_SIZE_PROPERTY} pins a width in bits (128, 256 or 512, at most the preferred width),
 * which lets one machine run the parity tests at every lane count it supports.
 */
final class SimdConstants {

    /** Test-only property pinning the vector width in bits. */
    static final String VECTOR_SIZE_PROPERTY = "segmenta.tests.vectorsize";

    static final VectorSpecies<Float> FLOATS = floatSpecies();

    /** Same lane count as {@link #FLOATS}, so label vectors line up with distance vectors lane for lane. */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED.withShape(FLOATS.vectorShape());

    static final int LANES = FLOATS.length();

    /** Whether HotSpot compiles fused multiply-add to one instruction ({@code -XX:+UseFMA}, on by default where the CPU has it). */
    static final boolean FAST_FMA = SimdKernelProvider.hotSpotOption("UseFMA").map(Boolean::parseBoolean).orElse(false);

    private SimdConstants() {
    }

    private static VectorSpecies<Float> floatSpecies() {
        String pinned = System.getProperty(VECTOR_SIZE_PROPERTY);
        if (pinned == null || pinned.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        int bits = Integer.parseInt(pinned.strip());
        if (bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
            throw new UnsupportedOperationException(VECTOR_SIZE_PROPERTY + "=" + bits
                    + " exceeds the platform's " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors");
        }
        return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits));
    }
}
