package dev.segmenta.kernels;

/** Provides {@link ScalarKernels}, which run everywhere: the lowest priority, and the fallback under {@code auto}. */
public final class ScalarKernelProvider implements KernelProvider {

    /** Lowest of the built-in priorities. */
    public static final int PRIORITY = 0;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public KernelSelection create() {
        return new KernelSelection(new ScalarKernels(), "plain Java loops");
    }
}
