package dev.segmenta.engine.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a benchmark ran on, as hardware engineers quote it.
 *
 * @param cpu         CPU model name ({@code /proc/cpuinfo} on Linux), else the architecture
 * @param cores       processors available to this JVM (a container or {@code taskset} limit shows here)
 * @param memoryBytes physical memory, or 0 where the JVM does not tell
 * @param os          operating system, version and architecture
 * @param jdk         Java runtime version, vendor and VM
 */
public record MachineInfo(String cpu, int cores, long memoryBytes, String os, String jdk) {

    public static MachineInfo here() {
        return new MachineInfo(cpuModel(), Runtime.getRuntime().availableProcessors(), physicalMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.vendor") + ", "
                        + System.getProperty("java.vm.name") + ")");
    }

    /** Memory in GiB, one decimal, for tables. */
    public String memory() {
        return memoryBytes > 0 ? String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double) (1L << 30)) : "unknown";
    }

    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name") && line.contains(":")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | SecurityException e) {
            // Not Linux or not readable: the architecture is the best remaining description.
        }
        return System.getProperty("os.arch");
    }

    private static long physicalMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (LinkageError e) {
            // jdk.management is absent from this runtime image.
        }
        return 0;
    }
}
