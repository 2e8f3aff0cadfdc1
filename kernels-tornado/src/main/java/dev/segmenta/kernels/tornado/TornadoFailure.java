package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.BackendUnavailableException;

import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * Turns a TornadoVM failure into the backend's loud error: which device, what Segmenta was doing,
 * TornadoVM's own reason, and where to look next. Never a fallback.
 */
final class TornadoFailure {

    private TornadoFailure() {
    }

    static BackendUnavailableException of(TornadoDevice device, String doing, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getName() : firstLine(cause.getMessage());
        return new BackendUnavailableException(TornadoKernelProvider.NAME, "TornadoVM could not " + doing + " on "
                + device.getDeviceName() + " (" + device.getPhysicalDevice().getDeviceName() + "): " + reason
                + "; rerun with SEGMENTA_JAVA_OPTS=-Dtornado.debug=True for TornadoVM's details, or use --backend simd", cause);
    }

    private static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip() + " ...";
    }
}
