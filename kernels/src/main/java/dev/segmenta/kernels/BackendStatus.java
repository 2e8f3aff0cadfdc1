package dev.segmenta.kernels;

/**
 * Whether one known backend can start here, as listed by {@link Kernels#describeAll()}.
 *
 * @param name      the backend's name
 * @param priority  its preference under {@code auto}
 * @param available whether it started
 * @param detail    what it runs on when available, otherwise why not and the fix
 */
public record BackendStatus(String name, int priority, boolean available, String detail) {
}
