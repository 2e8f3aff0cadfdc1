package dev.segmenta.kernels;

import java.util.List;

/**
 * Whether one known backend can start here, as listed by {@link Kernels#describeAll()}.
 *
 * @param name      the backend's name
 * @param priority  its preference under {@code auto}
 * @param available whether it started
 * @param detail    what it runs on when available, otherwise why not and the fix
 * @param devices   the devices it could run on ({@link KernelProvider#devices()}), empty when it has no choice or did not start
 */
public record BackendStatus(String name, int priority, boolean available, String detail, List<String> devices) {

    public BackendStatus {
        devices = List.copyOf(devices);
    }
}
