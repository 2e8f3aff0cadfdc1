package dev.segmenta.kernels;

import java.util.List;

/**
 * A kernel backend, found through {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/dev.segmenta.kernels.KernelProvider}. {@link Kernels} asks each provider to
 * {@link #create()} only when it is selected, so a provider must not touch optional dependencies
 * (incubator modules, GPU runtimes) before then.
 */
public interface KernelProvider {

    /** The name used with {@code -Dsegmenta.kernels} and {@code --backend}: lower case, unique. */
    String name();

    /**
     * Preference under {@code auto}: the highest-priority provider that starts wins. The built-in
     * backends use 0 ({@code scalar}) and 100 ({@code simd}).
     */
    int priority();

    /**
     * Starts the backend.
     *
     * @return the kernels and one line describing what they run on (the selection's reason)
     * @throws BackendUnavailableException if the backend cannot run here, with the reason and the fix
     */
    KernelSelection create() throws BackendUnavailableException;

    /**
     * Starts the backend on one of its devices ({@code --device}). Backends without a choice of
     * device accept only {@code null} (no choice made).
     *
     * @param device a device named as {@link BackendStatus#devices()} lists it, or {@code null} for the backend's default
     * @throws BackendUnavailableException if the device is unknown or cannot run the kernels, or the backend has no devices to choose
     */
    default KernelSelection create(String device) throws BackendUnavailableException {
        if (device != null) {
            throw new BackendUnavailableException(name(), "it runs on the CPU and has no devices to choose; remove --device");
        }
        return create();
    }

    /**
     * The devices this backend could run on, one line each (id first, the form {@code --device}
     * takes), for {@code segmenta backends}; empty for backends without a choice.
     */
    default List<String> devices() {
        return List.of();
    }
}
