package dev.segmenta.peers;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one JVM peer for compare.sh: load the points, untimed warm-up fits of 3 iterations for at least
 * 3 s (JIT compilation, thread pools, Spark's job planning), then the timed fit of {@code --iterations} Lloyd iterations from
 * the given centroids. Prints one JSON object on stdout and writes the final centroids to {@code --out}.
 *
 * <pre>
 * java -cp ... dev.segmenta.peers.PeerMain --peer smile --points x.f32 --init init.f32 --d 8 --k 8 \
 *     --iterations 20 --threads 2 --out smile.f32
 * </pre>
 */
public final class PeerMain {

    private static final int WARMUP_ITERATIONS = 3;
    /** Warm-up fits repeat for at least this long: one short fit is too little for C2 to compile a fast engine's loops. */
    private static final long WARMUP_NANOS = 3_000_000_000L;

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage("unexpected " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        String peerName = required(options, "peer");
        Path points = Path.of(required(options, "points"));
        int d = Integer.parseInt(required(options, "d"));
        int k = Integer.parseInt(required(options, "k"));
        int iterations = Integer.parseInt(required(options, "iterations"));
        int threads = Integer.parseInt(required(options, "threads"));
        Path out = Path.of(required(options, "out"));
        float[] initial = Points.read(Path.of(required(options, "init")), d).values();
        if (initial.length != k * d) {
            usage("--init holds " + initial.length / d + " centroids, not --k " + k);
        }

        try (Peer peer = switch (peerName) {
            case "segmenta" -> new SegmentaPeer(options.getOrDefault("backend", "auto"), threads);
            case "smile" -> new SmilePeer();
            case "spark" -> new SparkPeer(threads);
            case "elki" -> new ElkiPeer();
            default -> throw new IllegalArgumentException("unknown --peer " + peerName + "; use segmenta, smile, spark or elki");
        }) {
            long start = System.nanoTime();
            peer.load(points, d);
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long warmupEnd = System.nanoTime() + WARMUP_NANOS;
            do {
                peer.fit(initial, k, Math.min(WARMUP_ITERATIONS, iterations));
            } while (System.nanoTime() < warmupEnd);
            start = System.nanoTime();
            Peer.Fit fit = peer.fit(initial, k, iterations);
            double seconds = (System.nanoTime() - start) / 1e9;
            Points.write(out, fit.centroids());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("peer", peerName);
            result.put("engine", peer.name());
            result.put("threads", peer.threadsUsed());
            result.put("load_s", loadSeconds);
            result.put("fit_s", seconds);
            result.put("iterations", fit.iterations());
            result.put("centroids", out.toString());
            result.put("jvm", System.getProperty("java.runtime.version"));
            System.out.println(new ObjectMapper().writeValueAsString(result));
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage("missing --" + name);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("PeerMain: " + problem + "\nusage: PeerMain --peer segmenta|smile|spark|elki --points X.f32 "
                + "--init INIT.f32 --d D --k K --iterations N --threads T --out CENTROIDS.f32 [--backend NAME]");
        System.exit(2);
    }
}
