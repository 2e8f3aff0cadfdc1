package dev.segmenta.kernels.tornado;

import dev.segmenta.kernels.BackendUnavailableException;
import dev.segmenta.kernels.KernelSelection;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/**
 * Starts TornadoVM, lists its devices and picks one. Devices are named as TornadoVM names them,
 * {@code backend:device} ({@code 0:0} is the first device of the first backend); {@code --device}
 * also takes a piece of the device's name that matches one device only.
 */
final class TornadoDeviceBackend implements DeviceBackend {

    private final TornadoRuntime runtime;

    TornadoDeviceBackend() {
        try {
            runtime = TornadoRuntimeProvider.getTornadoRuntime();
        } catch (RuntimeException | Error e) {
            throw new BackendUnavailableException(TornadoKernelProvider.NAME, "TornadoVM failed to start: " + e, e);
        }
        if (RuntimeOptions.recoversBailouts()) {
            throw new BackendUnavailableException(TornadoKernelProvider.NAME, "TornadoVM started before its silent "
                    + "fallback to sequential Java could be turned off; pass -D" + RuntimeOptions.RECOVER_BAILOUT + "=False");
        }
    }

    /** One device TornadoVM sees, with its id. */
    private record Found(String id, TornadoDevice device, String backend) {

        String describe() {
            return String.format(Locale.ROOT, "%s %s %s (%s, %.1f GB)", id, backend, device.getPhysicalDevice().getDeviceName(),
                    device.getDeviceType(), device.getMaxGlobalMemory() / 1e9);
        }
    }

    @Override
    public KernelSelection start(String device) {
        List<Found> all = found();
        if (all.isEmpty()) {
            throw unavailable("TornadoVM sees no device: install an OpenCL driver (for the CPU, Debian's pocl-opencl-icd)"
                    + " or, with TornadoVM's PTX backend, NVIDIA's driver; 'tornado --devices' lists what TornadoVM finds");
        }
        Found chosen = device == null ? defaultDevice(all) : find(all, device);
        if (!chosen.device().getDeviceContext().isFP64Supported()) {
            throw unavailable("device " + chosen.describe() + " has no 64-bit floats, which the partial sums need;"
                    + " choose another with --device (see 'segmenta backends')");
        }
        String reason = "TornadoVM on " + chosen.describe();
        return new KernelSelection(new TornadoKernels(chosen.device(), reason), reason);
    }

    @Override
    public List<String> devices() {
        List<Found> all = found();
        Found byDefault = all.isEmpty() ? null : defaultDevice(all);
        List<String> lines = new ArrayList<>();
        for (Found f : all) {
            lines.add(f.describe() + (f == byDefault ? " [default]" : ""));
        }
        return lines;
    }

    private List<Found> found() {
        List<Found> all = new ArrayList<>();
        for (int b = 0; b < runtime.getNumBackends(); b++) {
            TornadoBackend backend = runtime.getBackend(b);
            for (int i = 0; i < backend.getNumDevices(); i++) {
                all.add(new Found(b + ":" + i, backend.getDevice(i), String.valueOf(runtime.getBackendType(b))));
            }
        }
        return all;
    }

    private Found defaultDevice(List<Found> all) {
        TornadoDevice preferred = runtime.getDefaultDevice();
        for (Found f : all) {
            if (f.device() == preferred || f.device().getDeviceName().equals(preferred.getDeviceName())) {
                return f;
            }
        }
        return all.getFirst();
    }

    private static Found find(List<Found> all, String wanted) {
        String key = wanted.strip().toLowerCase(Locale.ROOT);
        List<Found> matches = new ArrayList<>();
        for (Found f : all) {
            if (f.id().equals(key)) {
                return f;
            }
            if (f.device().getPhysicalDevice().getDeviceName().toLowerCase(Locale.ROOT).contains(key)) {
                matches.add(f);
            }
        }
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        throw unavailable((matches.isEmpty() ? "no device matches '" : "more than one device matches '") + wanted
                + "'; give one of the ids: " + String.join("; ", all.stream().map(Found::describe).toList()));
    }

    private static BackendUnavailableException unavailable(String reason) {
        return new BackendUnavailableException(TornadoKernelProvider.NAME, reason);
    }
}
