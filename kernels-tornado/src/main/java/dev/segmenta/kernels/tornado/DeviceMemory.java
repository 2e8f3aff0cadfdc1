package dev.segmenta.kernels.tornado;

import java.util.Locale;

import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * How much of a device this backend may fill: TornadoVM refuses allocations beyond its own limit
 * ({@code -Dtornado.device.memory}, 4 GB unless set) and the device beyond its memory and its
 * largest single buffer; a tenth is left for TornadoVM's own buffers.
 *
 * @param budget    bytes the graphs may allocate in all
 * @param maxBuffer bytes of the largest single buffer
 */
record DeviceMemory(long budget, long maxBuffer) {

    private static final double HEADROOM = 0.9;

    static DeviceMemory of(TornadoDevice device) {
        long limit = Math.min(RuntimeOptions.deviceMemoryLimit(), device.getMaxGlobalMemory());
        return new DeviceMemory((long) (limit * HEADROOM), device.getMaxAllocMemory());
    }

    /**
     * The most block slots of {@code stride} rows that one graph can hold: within the budget, with the
     * points buffer within the largest buffer and within a Java array's index range.
     */
    int slotsThatFit(int d, int stride, int kCapacity, boolean weighted) {
        long perSlot = DeviceGraph.deviceBytes(d, stride, 1, kCapacity, weighted);
        long bySize = budget / perSlot;
        long byBuffer = maxBuffer / (4L * d * stride);
        long byIndex = (Integer.MAX_VALUE - 64L) / ((long) d * stride);
        return (int) Math.min(Math.min(bySize, byBuffer), byIndex);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f GB usable, largest buffer %.1f GB", budget / 1e9, maxBuffer / 1e9);
    }
}
