package dev.segmenta.kernels.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segmenta.kernels.BackendStatus;
import dev.segmenta.kernels.BackendUnavailableException;
import dev.segmenta.kernels.KernelSelection;
import dev.segmenta.kernels.Kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Starting the backend: the checks that keep it from ever running silently as sequential Java, and device choice. */
class TornadoProviderTest {

    private final TornadoKernelProvider provider = new TornadoKernelProvider();

    @Test
    void startsOnTheDefaultDeviceWithTheSilentFallbackOff() {
        KernelSelection selection = provider.create();
        assertEquals("tornado", selection.kernels().name());
        assertTrue(selection.reason().startsWith("TornadoVM on 0:"), selection.reason());
        assertEquals("False", System.getProperty(RuntimeOptions.RECOVER_BAILOUT));
        assertFalse(RuntimeOptions.recoversBailouts(), "TornadoVM must not fall back to sequential Java");
        assertFalse(selection.kernels().benefitsFromJvmWarmup());
    }

    @Test
    void listsItsDevicesWithIdsAndTheDefault() {
        List<String> devices = provider.devices();
        assertFalse(devices.isEmpty());
        assertTrue(devices.getFirst().startsWith("0:0 "), devices.getFirst());
        assertEquals(1, devices.stream().filter(line -> line.endsWith("[default]")).count(), devices.toString());
        BackendStatus status = Kernels.describeAll().stream().filter(s -> s.name().equals("tornado")).findFirst().orElseThrow();
        assertTrue(status.available(), status.detail());
        assertEquals(devices, status.devices());
    }

    @Test
    void aDeviceIsChosenByIdOrByAPieceOfItsName() {
        assertTrue(provider.create("0:0").reason().startsWith("TornadoVM on 0:0 "));
        String name = provider.devices().getFirst().split(" ")[2];
        assertTrue(provider.create(name.substring(0, Math.min(6, name.length()))).reason().contains(name));
    }

    @Test
    void anUnknownDeviceFailsNamingTheKnownOnes() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> provider.create("9:9"));
        assertEquals("tornado", e.backend());
        assertTrue(e.reason().contains("no device matches '9:9'") && e.reason().contains("0:0"), e.reason());
    }

    @Test
    void aDeviceWithAutoIsAUsageError() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Kernels.select("auto", "0:0"));
        assertTrue(e.reason().contains("--backend tornado --device 0:0"), e.reason());
    }

    @Test
    void explicitlyEnabledBailoutsAreRefused() {
        String before = System.getProperty(RuntimeOptions.RECOVER_BAILOUT);
        System.setProperty(RuntimeOptions.RECOVER_BAILOUT, "True");
        try {
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, provider::create);
            assertTrue(e.reason().contains("sequential Java"), e.reason());
        } finally {
            System.setProperty(RuntimeOptions.RECOVER_BAILOUT, before == null ? "False" : before);
        }
    }

    @Test
    void theKernelsCarryLocalVariableTables() {
        assertTrue(DebugInfo.hasLocalVariables(TornadoKernelProvider.class, "DeviceKernels"));
        assertFalse(DebugInfo.hasLocalVariables(TornadoKernelProvider.class, "NoSuchClass"));
    }

    @ParameterizedTest(name = "javac {0}")
    @CsvSource({"-g,true", "-g:none,false", "'-g:lines,source',false"})
    void theCheckTellsWhetherAClassWasCompiledWithLocalVariableTables(String flag, boolean expected, @TempDir Path dir)
            throws IOException {
        Path source = dir.resolve("Kernel.java");
        Files.writeString(source, "class Kernel { static void add(int[] a) { for (int i = 0; i < a.length; i++) { a[i]++; } } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, flag, "-d", dir.toString(), source.toString()));
        assertEquals(expected, DebugInfo.hasLocalVariables(Files.readAllBytes(dir.resolve("Kernel.class"))));
    }
}
