package dev.segmenta.kernels;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Optional;

/**
 * Provides {@link SimdKernels} once the JVM can run Vector API code fast. Each check that fails
 * names its cause and the fix; only after all of them pass is {@code SimdKernels} loaded, by name, so
 * that nothing links against {@code jdk.incubator.vector} on a JVM that lacks it.
 */
public final class SimdKernelProvider implements KernelProvider {

    /** Above {@link ScalarKernelProvider#PRIORITY}: preferred by {@code auto} wherever it starts. */
    public static final int PRIORITY = 100;

    private static final String MODULE = "jdk.incubator.vector";
    private static final String KERNELS_CLASS = "dev.segmenta.kernels.SimdKernels";

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public KernelSelection create() {
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.toLowerCase(Locale.ROOT).contains("hotspot") && !vm.toLowerCase(Locale.ROOT).contains("openjdk")) {
            throw unavailable("the Vector API is compiled to SIMD instructions only by HotSpot, not by " + vm
                    + "; run on a HotSpot JDK (e.g. Temurin 25)");
        }
        boolean readable = ModuleLayer.boot().findModule(MODULE)
                .map(module -> SimdKernelProvider.class.getModule().canRead(module))
                .orElse(false);
        if (!readable) {
            throw unavailable("module " + MODULE + " is not in the boot layer; pass --add-modules="
                    + MODULE + " to java (or add it to JDK_JAVA_OPTIONS)");
        }
        if (!hotSpotOption("UseCompiler").map(Boolean::parseBoolean).orElse(true)) {
            throw unavailable("the JIT is disabled (-Xint), so Vector API code would run interpreted; remove -Xint");
        }
        boolean tiered = hotSpotOption("TieredCompilation").map(Boolean::parseBoolean).orElse(false);
        int stopLevel = hotSpotOption("TieredStopAtLevel").map(Integer::parseInt).orElse(4);
        if (tiered && stopLevel < 4) {
            throw unavailable("C2 is disabled (-XX:TieredStopAtLevel=" + stopLevel
                    + "), and only C2 compiles the Vector API to SIMD instructions; remove that flag");
        }
        KMeansKernels kernels = instantiate();
        return new KernelSelection(kernels, kernels.toString());
    }

    private KMeansKernels instantiate() {
        try {
            return Class.forName(KERNELS_CLASS).asSubclass(KMeansKernels.class).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw unavailable(e.getCause().getMessage(), e.getCause());
        } catch (ExceptionInInitializerError e) {
            throw unavailable("the Vector API failed to initialise: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw unavailable("could not load the Vector API kernels: " + e, e);
        }
    }

    private BackendUnavailableException unavailable(String reason) {
        return new BackendUnavailableException(name(), reason);
    }

    private BackendUnavailableException unavailable(String reason, Throwable cause) {
        return new BackendUnavailableException(name(), reason, cause);
    }

    /**
     * A HotSpot {@code -XX} option's current value, or empty where the VM or the {@code jdk.management}
     * module does not expose it.
     */
    static Optional<String> hotSpotOption(String option) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return bean == null ? Optional.empty() : Optional.of(bean.getVMOption(option).getValue());
        } catch (IllegalArgumentException | LinkageError e) {
            return Optional.empty();
        }
    }
}
