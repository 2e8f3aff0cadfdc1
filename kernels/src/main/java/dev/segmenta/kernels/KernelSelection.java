package dev.segmenta.kernels;

import java.util.Objects;

/**
 * A started backend and why it was chosen, for logs and progress output.
 *
 * @param kernels the kernels to call
 * @param reason  one line: what the backend runs on and how it was chosen
 *                (for example {@code "Vector API, 512-bit, 16 float lanes, FMA (auto: highest priority that started)"})
 */
public record KernelSelection(KMeansKernels kernels, String reason) {

    public KernelSelection {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(reason, "reason");
    }
}
