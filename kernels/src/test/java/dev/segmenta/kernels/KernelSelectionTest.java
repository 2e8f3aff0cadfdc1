package dev.segmenta.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Backend resolution. Surefire runs this class once per tier (see {@code kernels/pom.xml}) with
 * {@value #REQUIRE_PROPERTY} naming the backend that tier must get, so a silent downgrade fails the build.
 */
class KernelSelectionTest {

    /** System property naming the backend the JVM's default selection must be. */
    static final String REQUIRE_PROPERTY = "segmenta.tests.requireBackend";

    @Test
    void theTierGetsTheBackendItRequires() {
        String required = System.getProperty(REQUIRE_PROPERTY);
        assumeTrue(required != null, REQUIRE_PROPERTY + " not set");
        assertEquals(required, Kernels.selection().kernels().name(), "selected: " + Kernels.selection().reason());
    }

    @Test
    void unknownNameThrows() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Kernels.select("quantum"));
        assertEquals("quantum", e.backend());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    }

    @Test
    void scalarWhenForced() {
        KernelSelection selection = Kernels.select(" Scalar ");
        assertInstanceOf(ScalarKernels.class, selection.kernels());
        assertSame(selection, Kernels.select("scalar"), "each name is resolved once");
    }

    @Test
    void autoPicksSimdWhenTheVectorModuleIsPresent() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "run without the vector module");
        assertEquals("simd", Kernels.select("auto").kernels().name());
        assertEquals("simd", Kernels.select(null).kernels().name());
    }

    @Test
    void simdFailsLoudlyWithoutTheVectorModule() {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(), "run with the vector module");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Kernels.select("simd"));
        assertTrue(e.reason().contains("--add-modules=jdk.incubator.vector"), e.reason());
        assertEquals("scalar", Kernels.select("auto").kernels().name());
    }

    @Test
    void autoFallsBackWithOneWarningPerUnavailableBackend() {
        RecordingLogger log = new RecordingLogger();
        List<KernelProvider> providers = List.of(
                broken("gpu", 300, "no OpenCL device; install a driver"),
                broken("simd", 100, "module missing; pass --add-modules=jdk.incubator.vector"),
                new ScalarKernelProvider());
        KernelSelection selection = Kernels.resolve("auto", providers, log);
        assertEquals("scalar", selection.kernels().name());
        assertEquals(List.of(
                "WARNING Kernel backend gpu unavailable, trying the next: no OpenCL device; install a driver",
                "WARNING Kernel backend simd unavailable, trying the next: module missing; pass --add-modules=jdk.incubator.vector",
                "INFO Kernel backend scalar: plain Java loops (auto: after gpu unavailable, simd unavailable)"), log.lines);
        assertTrue(selection.reason().contains("gpu unavailable"), selection.reason());
    }

    @Test
    void forcedBackendThatCannotStartThrowsInsteadOfFallingBack() {
        RecordingLogger log = new RecordingLogger();
        List<KernelProvider> providers = List.of(broken("gpu", 300, "no device"), new ScalarKernelProvider());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Kernels.resolve("gpu", providers, log));
        assertEquals("no device", e.reason());
        assertTrue(log.lines.isEmpty(), log.lines.toString());
    }

    @Test
    void describeAllListsEveryBuiltInBackend() {
        List<BackendStatus> all = Kernels.describeAll();
        BackendStatus scalar = all.stream().filter(s -> s.name().equals("scalar")).findFirst().orElseThrow();
        assertTrue(scalar.available());
        BackendStatus simd = all.stream().filter(s -> s.name().equals("simd")).findFirst().orElseThrow();
        assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), simd.available(), simd.detail());
        assertTrue(all.indexOf(simd) < all.indexOf(scalar), "priority order");
    }

    private static KernelProvider broken(String name, int priority, String reason) {
        return new KernelProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public KernelSelection create() {
                throw new BackendUnavailableException(name, reason);
            }
        };
    }

    /** Keeps formatted log lines as {@code LEVEL message}. */
    private static final class RecordingLogger implements Logger {

        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + MessageFormat.format(format, params));
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }
    }
}
