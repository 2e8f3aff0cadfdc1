package dev.segmenta.kernels.tornado;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Whether a class was compiled with its local-variable tables ({@code javac -g}). TornadoVM finds a
 * kernel's {@code @Parallel} loops through them; without them it cannot compile the kernel, and with
 * its default settings it would run it as sequential Java instead, silently.
 */
final class DebugInfo {

    private static final byte[] ATTRIBUTE = "LocalVariableTable".getBytes(StandardCharsets.US_ASCII);

    private DebugInfo() {
    }

    /** Whether the class file {@code simpleName}.class beside {@code owner} has local-variable tables; read as bytes, not loaded. */
    static boolean hasLocalVariables(Class<?> owner, String simpleName) {
        try (InputStream in = owner.getResourceAsStream(simpleName + ".class")) {
            return in != null && hasLocalVariables(in.readAllBytes());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a class file has local-variable tables: the attribute's name is in its constant pool
     * exactly when some method carries one.
     */
    static boolean hasLocalVariables(byte[] classFile) {
        return contains(classFile, ATTRIBUTE);
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
