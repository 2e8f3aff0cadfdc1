package dev.segmenta.engine.bench;

/**
 * What one kernel pass moves and computes, to turn its time into points/s, GB/s and GFLOP/s and
 * compare those with the machine's {@link Ceilings}. {@code segmenta bench} and the JMH report share
 * these counts, so both quote the same rates.
 *
 * @param points points processed (customers; pairs for a pairwise block)
 * @param bytes  bytes read from and written to memory; centroids and partial sums stay in cache and
 *               are not counted
 * @param flops  floating-point operations of the distance arithmetic: subtract, multiply and add
 *               per feature per centre ({@code 3 * d} per distance); argmins and sums are not counted
 */
public record KernelWork(long points, long bytes, double flops) {

    /**
     * One Lloyd pass (assign and accumulate): reads the points ({@code n * d * 4} bytes), writes a
     * label and a distance per point ({@code n * 8}); {@code 3 * n * d * k} flops. At 1M x 8, k=8:
     * 40 MB and 0.19 GFLOP.
     */
    public static KernelWork lloydPass(long n, int d, int k) {
        return new KernelWork(n, n * d * 4L + n * 8L, 3.0 * n * d * k);
    }

    /** One k-means++ seeding step: reads the points and the distances, writes the distances; {@code 3 * n * d} flops. */
    public static KernelWork seedingStep(long n, int d) {
        return new KernelWork(n, n * d * 4L + n * 8L, 3.0 * n * d);
    }

    /** One pairwise block of {@code na x nb} squared distances: reads both blocks, writes the {@code na * nb} results. */
    public static KernelWork pairwiseBlock(int na, int nb, int d) {
        return new KernelWork((long) na * nb, ((long) na + nb) * d * 4L + (long) na * nb * 4L, 3.0 * na * nb * d);
    }

    public double pointsPerSecond(double seconds) {
        return points / seconds;
    }

    public double gigabytesPerSecond(double seconds) {
        return bytes / 1e9 / seconds;
    }

    public double gigaflopsPerSecond(double seconds) {
        return flops / 1e9 / seconds;
    }

    /**
     * Flops per byte. A pass whose intensity is below the FMA ceiling divided by the read bandwidth
     * is bandwidth-bound (a Lloyd pass at k=8 is), above it compute-bound (k=256).
     */
    public double intensity() {
        return flops / bytes;
    }
}
