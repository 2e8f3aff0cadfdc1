package dev.segmenta.kernels;

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
}
