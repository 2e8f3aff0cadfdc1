"""Segmenta side by side with the k-means engines users would pick instead, on one generated file, in one run.

Run it through compare.sh, which sets up the Python peers (a venv) and builds the JVM peers first.

For each shape (N customers x D features, k):
  1. `segmenta generate` writes the customers (Parquet; --segments true segments, default 3, fewer than
     k so Lloyd keeps iterating); the driver z-scores the features (population standard deviation, as
     `segmenta fit` does by default) to float32 and writes them once as a raw file every JVM peer reads.
  2. One set of initial centroids: scikit-learn's k-means++ with --seed, given to every engine.
  3. Every engine runs exactly --iterations Lloyd iterations from those centroids with its convergence
     test off (tolerance 0; an engine may still stop when nothing moves, and reports the iterations it
     ran), on --threads threads. Each first runs untimed 3-iteration warm-up fits for at least 3 s
     (JIT compilation, thread pools); then one timed fit. ms/iteration = timed fit / iterations run.
     With --repeat R, every engine runs R times, round by round, and the median run is shown (all
     runs are in --json).
  4. Every engine's final centroids are scored by the same code: each customer's nearest centroid
     (labels) and the sum of squared distances (inertia, in double). Agreement with Segmenta is the
     ratio of inertias and the adjusted Rand index between the labels.

Engines (those that are not installed are reported and skipped):
  segmenta  Segmenta's KMeans.fitFrom, auto backend, --threads threads (JVM peer runner)
  sklearn   scikit-learn KMeans(algorithm="lloyd", n_init=1, tol=0) under threadpoolctl's limit
  faiss     faiss.Kmeans (exact L2, no subsampling: max_points_per_centroid = N), omp threads = --threads
  smile     Smile KMeans' BBD-tree Lloyd steps (sequential: 1 thread whatever --threads says)
  spark     Spark MLlib KMeans in local[--threads] mode, initial model given, RDD cached before timing
  elki      ELKI ParallelLloydKMeans, Predefined initial means, JVM limited to --threads processors
            (ELKI does not report its iteration count: the iterations asked are shown; it stops early
            only when no assignment changes)

"load" is the 1-minute load average (the higher of before and after the engine's run): on a shared
machine it shows how much the other processes competed for the cores while that engine was timed.
Ratios: "Segmenta / engine" below 1 means Segmenta is faster; "inertia / Segmenta's" above 1 means the
engine ended at a higher (worse) inertia. --targets runs the three shapes of the issue's target table
(1M x 8, k=8; 10M x 16, k=16; 1M x 32, k=256) and prints that table.
"""
import argparse
import glob
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import pyarrow.parquet as pq
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ID_COLUMN = "customer_id"
TRUTH_COLUMN = "true_segment"
ALL_PEERS = ["segmenta", "sklearn", "faiss", "smile", "spark", "elki"]
JVM_PEERS = ("segmenta", "smile", "spark", "elki")
PEER_TITLES = {"segmenta": "Segmenta", "sklearn": "scikit-learn", "faiss": "FAISS", "smile": "Smile",
               "spark": "Spark MLlib", "elki": "ELKI"}
WARMUP_ITERATIONS = 3
WARMUP_SECONDS = 3.0
# The per-iteration targets for Segmenta (2 threads, same initial centroids as the peer).
TARGETS = [(1_000_000, 8, 8, "≤ 4 ms"), (10_000_000, 16, 16, "≤ 70 ms"), (1_000_000, 32, 256, "≤ 130 ms")]
JVM_FLAGS = ["--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
             "--sun-misc-unsafe-memory-access=allow", "-XX:+IgnoreUnrecognizedVMOptions"]
# Spark's own list (org.apache.spark.launcher.JavaModuleOptions, Spark 4.1).
SPARK_FLAGS = [f"--add-opens={m}=ALL-UNNAMED" for m in (
    "java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.lang.reflect", "java.base/java.io",
    "java.base/java.net", "java.base/java.nio", "java.base/java.util", "java.base/java.util.concurrent",
    "java.base/java.util.concurrent.atomic", "java.base/jdk.internal.ref", "java.base/sun.nio.ch",
    "java.base/sun.nio.cs", "java.base/sun.security.action", "java.base/sun.util.calendar",
    "java.security.jgss/sun.security.krb5")] + [
    "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true"]


def log(message):
    print(f"compare: {message}", file=sys.stderr, flush=True)


def size(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def find_java():
    """A JDK 25 or newer: $SEGMENTA_JAVA_HOME, $JAVA_HOME, then /usr/lib/jvm, as the segmenta launcher looks."""
    candidates = [os.environ.get("SEGMENTA_JAVA_HOME"), os.environ.get("JAVA_HOME")]
    candidates += sorted(glob.glob("/usr/lib/jvm/*")) + sorted(glob.glob("/opt/java/*")) + sorted(glob.glob("/opt/jdk*"))
    for home in filter(None, candidates):
        java = pathlib.Path(home, "bin", "java")
        if not java.exists():
            continue
        out = subprocess.run([str(java), "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
        for line in out.splitlines():
            if "java.specification.version =" in line:
                if int(line.split("=")[1].strip().split(".")[0]) >= 25:
                    return str(java)
    sys.exit("compare: no JDK 25 or newer found; set SEGMENTA_JAVA_HOME")


def zscored(path):
    """The file's features z-scored as `segmenta fit` does (population standard deviation; a constant
    column stays 0) into contiguous float32, and the true segments where the file has them."""
    table = pq.read_table(path)
    names = [f.name for f in table.schema if f.name not in (ID_COLUMN, TRUTH_COLUMN)]
    x = np.column_stack([table[c].to_numpy().astype(np.float32) for c in names])
    truth = table[TRUTH_COLUMN].to_numpy() if TRUTH_COLUMN in table.column_names else None
    del table
    offset = x.mean(axis=0, dtype=np.float64)
    scale = x.std(axis=0, dtype=np.float64)
    scale[~(scale > 0)] = 1.0
    return np.ascontiguousarray(((x - offset) / scale).astype(np.float32)), truth


class Shape:
    """One generated data set, z-scored, with the initial centroids every engine starts from."""

    def __init__(self, args, n, d, k):
        self.n, self.d, self.k = n, d, k
        self.segments = args.segments
        self.seed = args.seed
        work = pathlib.Path(args.workdir)
        work.mkdir(parents=True, exist_ok=True)
        stem = f"customers-{size(n)}x{d}-t{args.segments}-s{args.seed}"
        self.parquet = work / f"{stem}.parquet"
        self.points = work / f"{stem}.f32"
        self.init = work / f"{stem}-k{k}-init.f32"
        self.outputs = work
        if not self.parquet.exists():
            log(f"generating {self.parquet}")
            subprocess.run([str(ROOT / "segmenta"), "generate", "--customers", str(n), "--features", str(d),
                            "--segments", str(args.segments), "--seed", str(args.seed), "--out", str(self.parquet),
                            "--quiet"], check=True, stdout=subprocess.DEVNULL)
        self.x, self.truth = zscored(self.parquet)
        if not self.points.exists():
            self.x.tofile(self.points)
        with threadpool_limits(limits=args.threads):
            centroids, _ = kmeans_plusplus(self.x, k, random_state=args.seed)
        self.centroids = np.ascontiguousarray(centroids, dtype=np.float32)
        self.centroids.tofile(self.init)

    def title(self):
        return f"{size(self.n)}×{self.d}, k={self.k}"


def warm_then_time(fit, iterations):
    """Untimed 3-iteration fits for at least 3 s, then the timed fit; returns (seconds, result)."""
    end = time.perf_counter() + WARMUP_SECONDS
    while True:
        fit(min(WARMUP_ITERATIONS, iterations))
        if time.perf_counter() >= end:
            break
    start = time.perf_counter()
    result = fit(iterations)
    return time.perf_counter() - start, result


def run_sklearn(shape, args):
    def fit(iterations):
        return KMeans(n_clusters=shape.k, init=shape.centroids, n_init=1, max_iter=iterations, tol=0.0,
                      algorithm="lloyd").fit(shape.x)

    with threadpool_limits(limits=args.threads):
        seconds, km = warm_then_time(fit, args.iterations)
    return {"engine": f"scikit-learn {sklearn.__version__} KMeans(algorithm='lloyd')", "threads": args.threads,
            "fit_s": seconds, "iterations": int(km.n_iter_), "centroids": km.cluster_centers_.astype(np.float32)}


def run_faiss(shape, args):
    import faiss

    faiss.omp_set_num_threads(args.threads)

    def fit(iterations):
        km = faiss.Kmeans(shape.d, shape.k, niter=iterations, nredo=1, seed=shape.seed, verbose=False,
                          max_points_per_centroid=shape.n, min_points_per_centroid=1)
        km.train(shape.x, init_centroids=shape.centroids)
        return km

    with threadpool_limits(limits=args.threads):
        seconds, km = warm_then_time(fit, args.iterations)
    return {"engine": f"FAISS {faiss.__version__} Kmeans (exact L2)", "threads": args.threads, "fit_s": seconds,
            "iterations": args.iterations, "centroids": np.asarray(km.centroids, dtype=np.float32)}


def run_jvm(peer, shape, args):
    classes = HERE / "jvm" / "target" / "classes"
    classpath = f"{classes}:{(HERE / 'jvm' / 'target' / 'classpath.txt').read_text().strip()}"
    data_gb = shape.n * shape.d * 4 / 2 ** 30
    # Heap: Segmenta holds the points twice while cutting blocks; Smile as float[][] rows plus its tree;
    # Spark as cached double vectors plus each iteration's vectors with norms; ELKI as double[][] plus its
    # database's own vectors.
    heap_gb = {"segmenta": 2.5 * data_gb + 1, "smile": 4 * data_gb + 1, "spark": 7 * data_gb + 2,
               "elki": 7 * data_gb + 1}[peer]
    out = shape.outputs / f"{peer}-{size(shape.n)}x{shape.d}-k{shape.k}.f32"
    command = [args.java, *JVM_FLAGS, *(SPARK_FLAGS if peer == "spark" else []),
               *([f"-XX:ActiveProcessorCount={args.threads}"] if peer == "elki" else []), f"-Xmx{max(1, round(heap_gb))}g",
               f"-Djava.util.concurrent.ForkJoinPool.common.parallelism={args.threads}", "-cp", classpath,
               "dev.segmenta.peers.PeerMain", "--peer", peer, "--points", str(shape.points), "--init", str(shape.init),
               "--d", str(shape.d), "--k", str(shape.k), "--iterations", str(args.iterations),
               "--threads", str(args.threads), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{peer} exited {done.returncode}:\n{tail}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["centroids"] = np.fromfile(out, dtype=np.float32).reshape(shape.k, shape.d)
    return result


RUNNERS = {"sklearn": run_sklearn, "faiss": run_faiss}


def available(peer):
    """Why an engine cannot run here, or None."""
    if peer == "faiss":
        try:
            import faiss  # noqa: F401
        except ImportError:
            return "faiss-cpu is not installed in this venv"
    if peer in JVM_PEERS and not (HERE / "jvm" / "target" / "classpath.txt").exists():
        return "the JVM peers are not built (compare.sh builds them: ./mvnw -Ppeers -pl bench/peers/jvm -am package)"
    return None


def score(points, centroids, threads):
    """Every customer's nearest centroid and the total squared distance, the same way for every engine."""
    n = len(points)
    c = np.asarray(centroids, dtype=np.float64)
    labels = np.empty(n, dtype=np.int64)
    inertia = 0.0
    c_norms = (c * c).sum(axis=1)
    chunk = max(1024, min(200_000, (1 << 24) // len(c)))  # about 128 MB of distances at a time
    with threadpool_limits(limits=threads):
        for start in range(0, n, chunk):
            x = points[start:start + chunk].astype(np.float64)
            distances = (x * x).sum(axis=1)[:, None] - 2 * x @ c.T + c_norms[None, :]
            nearest = distances.argmin(axis=1)
            labels[start:start + chunk] = nearest
            diff = x - c[nearest]
            inertia += float((diff * diff).sum())
    return labels, inertia


def run_shape(shape, args):
    """Runs every engine --repeat times, round by round (so a change in the machine's load hits all of them)."""
    runs = {}
    for peer in args.peers:
        why = available(peer)
        if why:
            log(f"{shape.title()}: skipping {peer}: {why}")
        else:
            runs[peer] = []
    failed = set()
    for r in range(args.repeat):
        for peer in runs:
            if peer in failed:
                continue
            log(f"{shape.title()}: {peer} (round {r + 1} of {args.repeat})")
            try:
                load_before = os.getloadavg()[0]
                run = RUNNERS[peer](shape, args) if peer in RUNNERS else run_jvm(peer, shape, args)
                run["load"] = max(load_before, os.getloadavg()[0])
                runs[peer].append(run)
            except Exception as e:  # an engine that fails is reported, the others still run
                log(f"{shape.title()}: {peer} failed: {e}")
                failed.add(peer)
    rows = []
    reference = None
    for peer, results in runs.items():
        if not results:
            rows.append({"peer": peer, "failed": True})
            continue
        results.sort(key=lambda result: result["fit_s"] / max(1, result["iterations"]))
        result = results[(len(results) - 1) // 2]  # the lower median: the faster of two
        result["ms_per_iteration"] = 1e3 * result["fit_s"] / max(1, result["iterations"])
        result["ms_per_iteration_runs"] = [round(1e3 * x["fit_s"] / max(1, x["iterations"]), 3) for x in results]
        labels, inertia = score(shape.x, result["centroids"], args.threads)
        result["inertia"] = inertia
        if shape.truth is not None:
            result["ari_truth"] = adjusted_rand_score(shape.truth, labels)
        if peer == "segmenta":
            reference = (labels, inertia, result["ms_per_iteration"])
        elif reference is not None:
            result["ari_segmenta"] = adjusted_rand_score(reference[0], labels)
        result["peer"] = peer
        rows.append(result)
    for result in rows:
        if reference is not None and not result.get("failed"):
            result["time_ratio"] = reference[2] / result["ms_per_iteration"]
            result["inertia_ratio"] = result["inertia"] / reference[1]
    return rows


def print_shape(shape, rows, args):
    print(f"\n{shape.n:,} customers × {shape.d} features, k={shape.k} ({shape.segments} true segments), z-scored "
          f"float32; the same k-means++ centroids (seed {shape.seed}) given to every engine; {args.iterations} Lloyd "
          f"iterations, no tolerance; {args.threads} threads asked; median of {args.repeat} run(s) each, round by round\n")
    print("| engine | threads | iterations | ms/iteration | Segmenta / engine | inertia | / Segmenta's "
          "| ARI vs Segmenta | ARI vs truth | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r.get("failed"):
            print(f"| {PEER_TITLES[r['peer']]} | failed (see stderr) | | | | | | | | |")
            continue
        ari = f"{r['ari_segmenta']:.4f}" if "ari_segmenta" in r else ("—" if r["peer"] == "segmenta" else "")
        print(f"| {r['engine']} | {r['threads']} | {r['iterations']} | {r['ms_per_iteration']:.2f} "
              f"| {r.get('time_ratio', float('nan')):.3f} | {r['inertia']:.7g} | {r.get('inertia_ratio', float('nan')):.6f} "
              f"| {ari} | {r.get('ari_truth', float('nan')):.4f} | {r['load']:.1f} |")


def print_targets(results, args):
    """The issue's table: per-iteration time of every engine at the three target shapes."""
    print(f"\nPer Lloyd iteration, {args.threads} threads, the same initial centroids for every engine "
          f"(ms; median of {args.repeat} run(s)):\n")
    columns = [p for p in ["sklearn", "faiss", "smile", "spark", "elki", "segmenta"] if p in args.peers]
    print("| shape | " + " | ".join(f"{PEER_TITLES[p]} here" for p in columns) + " | target |")
    print("|---|" + "---|" * (len(columns) + 1))
    for (shape, rows), (_, _, _, target) in zip(results, TARGETS):
        by_peer = {r["peer"]: r for r in rows if not r.get("failed")}
        cells = [f"{by_peer[p]['ms_per_iteration']:.1f}" if p in by_peer else "—" for p in columns]
        print(f"| {shape.title()} | " + " | ".join(cells) + f" | {target} |")


def plot(results, path):
    """ms per iteration of every engine at every shape run, as grouped bars on a log axis (matplotlib)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    peers = [p for p in ALL_PEERS if any(r["peer"] == p and not r.get("failed") for _, rows in results for r in rows)]
    width = 0.8 / max(1, len(peers))
    fig, ax = plt.subplots(figsize=(9, 5))
    for i, peer in enumerate(peers):
        xs, ys = [], []
        for s, (shape, rows) in enumerate(results):
            found = [r for r in rows if r["peer"] == peer and not r.get("failed")]
            if found:
                xs.append(s + i * width)
                ys.append(found[0]["ms_per_iteration"])
        ax.bar(xs, ys, width, label=PEER_TITLES[peer])
    ax.set_yscale("log")
    ax.set_xticks([s + width * (len(peers) - 1) / 2 for s in range(len(results))])
    ax.set_xticklabels([shape.title() for shape, _ in results])
    ax.set_ylabel("ms per Lloyd iteration (log scale; lower is faster)")
    ax.set_title("One Lloyd iteration from the same initial centroids, same threads")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    log(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--segments", type=int, default=3, help="true segments in the generated data (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per engine; the median is shown")
    parser.add_argument("--peers", default=",".join(ALL_PEERS), help="comma-separated, from " + ",".join(ALL_PEERS))
    parser.add_argument("--targets", action="store_true", help="run the issue's three target shapes instead")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--json", help="also write every result (without centroids) to this file")
    parser.add_argument("--plot", help="also draw ms/iteration per engine and shape to this PNG")
    args = parser.parse_args()
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = [p for p in args.peers if p not in ALL_PEERS]
    if unknown:
        sys.exit(f"compare: unknown peer(s) {unknown}; choose from {ALL_PEERS}")
    if "segmenta" in args.peers:
        args.peers = ["segmenta"] + [p for p in args.peers if p != "segmenta"]
    args.java = find_java()

    shapes = [(n, d, k) for n, d, k, _ in TARGETS] if args.targets else [(args.customers, args.features, args.k)]
    results = []
    for n, d, k in shapes:
        shape = Shape(args, n, d, k)
        rows = run_shape(shape, args)
        print_shape(shape, rows, args)
        results.append((shape, rows))
        sys.stdout.flush()
        del shape.x
    if args.targets:
        print_targets(results, args)
    if args.plot:
        plot(results, args.plot)
    if args.json:
        dump = [{"n": s.n, "d": s.d, "k": s.k, "segments": s.segments, "seed": s.seed, "threads": args.threads,
                 "iterations_asked": args.iterations,
                 "results": [{key: value for key, value in r.items() if key != "centroids"} for r in rows]}
                for s, rows in results]
        pathlib.Path(args.json).write_text(json.dumps(dump, indent=2, default=float))


if __name__ == "__main__":
    main()
