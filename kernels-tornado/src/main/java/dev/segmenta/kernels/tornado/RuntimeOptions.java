package dev.segmenta.kernels.tornado;

/**
 * The TornadoVM runtime settings this backend depends on. They are read from TornadoVM's own options
 * class, by name: only the API module is on the compile path, and the runtime reads its system
 * properties once, when it starts, so what counts is the value it actually took.
 */
final class RuntimeOptions {

    /** TornadoVM's system property: whether a kernel that fails to compile silently runs as sequential Java. */
    static final String RECOVER_BAILOUT = "tornado.recover.bailout";

    private static final String OPTIONS_CLASS = "uk.ac.manchester.tornado.runtime.common.TornadoOptions";

    private RuntimeOptions() {
    }

    /** Whether the running TornadoVM falls back to sequential Java when a kernel cannot be compiled. */
    static boolean recoversBailouts() {
        return (boolean) field("RECOVER_BAILOUT");
    }

    /** TornadoVM's cap on the device memory it allocates ({@code -Dtornado.device.memory}). */
    static long deviceMemoryLimit() {
        return (long) field("DEVICE_AVAILABLE_MEMORY");
    }

    private static Object field(String name) {
        try {
            return Class.forName(OPTIONS_CLASS).getField(name).get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("this TornadoVM has no " + OPTIONS_CLASS + "." + name
                    + "; the tornado backend needs the TornadoVM release it was built for", e);
        }
    }
}
