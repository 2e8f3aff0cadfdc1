"""Segmenta's DBSCAN and hierarchical clustering against scikit-learn / scipy on the same files.

    bench/peers/.venv/bin/python bench/peers/compare_clustering.py dbscan [--n 50000] [--threads 2]
    bench/peers/.venv/bin/python bench/peers/compare_clustering.py hierarchical [--n 5000] [--threads 2]
    (the venv: python3 -m venv bench/peers/.venv; bench/peers/.venv/bin/pip install scikit-learn scipy pyarrow)

Each case writes one Parquet file (customer_id, the features as float32, true_segment), fits it with
scikit-learn in this process and with `./segmenta fit ... --scale none` on the same file, and prints
one row: agreement and the time ratio (Segmenta / peer; below 1 means Segmenta is faster).

Times exclude reading the file and starting the JVM: Segmenta's is the "fit N s" of its summary
line (scaling, index, passes), the peer's the fit call alone (DBSCAN.fit; scipy's linkage, and
AgglomerativeClustering.fit, which runs it and the cut). Both are limited to --threads threads
(OMP/BLAS via threadpoolctl; DBSCAN's n_jobs; Segmenta's --threads).

dbscan: Segmenta runs with each index (--index grid, kdtree, and auto, which names its choice); labels
are compared as given, noise included: "same" is the smallest share, over the three runs, of
customers with the same label number as scikit-learn's (Segmenta numbers clusters as scikit-learn
does, so this is 1.0 when they agree), ARI the smallest adjusted Rand index (noise as one more
label). The ratio is auto's time over scikit-learn's.
hierarchical: for each linkage, scipy's linkage matrix against Segmenta's --merges: the share of
merges that form the same cluster (identified by its set of leaves), the largest relative height
difference over those, and the ARI of the k-segment cuts (scikit-learn's AgglomerativeClustering
against Segmenta's assignments).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from scipy.cluster.hierarchy import linkage
from sklearn.cluster import DBSCAN, AgglomerativeClustering
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[2]


def write(path, x, y):
    columns = {"customer_id": pa.array(np.arange(1, len(x) + 1, dtype=np.int64))}
    for f in range(x.shape[1]):
        columns[f"f{f}"] = pa.array(x[:, f].astype(np.float32))
    columns["true_segment"] = pa.array(np.asarray(y, dtype=np.int32))
    pq.write_table(pa.table(columns), path)


def segmenta(args, threads):
    command = [str(ROOT / "segmenta"), "fit", *args, "--scale", "none", "--threads", str(threads), "--quiet"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    summary = out.splitlines()[0]
    return summary, float(re.search(r"\| fit ([0-9.]+) s", summary).group(1))


def column(path, name):
    table = pq.read_table(path) if str(path).endswith(".parquet") else pacsv.read_csv(path)
    return table[name].to_numpy()


def datasets_dbscan(n):
    rng = np.random.default_rng(1)
    x, y = make_blobs(n_samples=int(n * 0.98), centers=6, cluster_std=0.6, random_state=1)
    noise = rng.uniform(x.min(0), x.max(0), size=(n - len(x), 2))
    yield "blobs + 2% noise, 2-D", np.vstack([x, noise]), np.r_[y, -np.ones(len(noise), int)], 0.15, 10
    x, y = make_moons(n_samples=n, noise=0.06, random_state=1)
    yield "moons, 2-D", x, y, 0.03, 10
    x, y = make_blobs(n_samples=n, centers=3, cluster_std=[0.3, 1.0, 2.0], random_state=170)
    yield "varied density, 2-D", x, y, 0.25, 20
    x, y = make_blobs(n_samples=n, centers=8, n_features=8, cluster_std=1.0, random_state=2)
    yield "blobs, 8-D", x, y, 2.0, 10


def compare_dbscan(work, n, threads):
    print(f"{'data':24s} {'n':>8s} {'eps':>5s} {'min':>4s} {'clusters':>8s} {'noise':>6s} {'same':>7s} {'ARI':>7s} "
          f"{'sklearn s':>10s} {'grid s':>7s} {'kdtree s':>9s} {'auto':>7s} {'ratio':>6s}")
    for name, x, y, eps, min_samples in datasets_dbscan(n):
        x = x.astype(np.float32)
        path = work / f"dbscan-{re.sub('[^a-z0-9]+', '-', name.lower())}.parquet"
        write(path, x, y)
        start = time.perf_counter()
        peer = DBSCAN(eps=eps, min_samples=min_samples, n_jobs=threads).fit(x).labels_
        peer_s = time.perf_counter() - start
        seconds = {}
        agreement = []
        for index in ("grid", "kdtree", "auto"):
            out = work / f"dbscan-{index}.parquet"
            summary, seconds[index] = segmenta(
                ["-i", str(path), "--algorithm", "dbscan", "--eps", str(eps), "--min-samples", str(min_samples),
                 "--index", index, "--model", str(work / "dbscan.json"), "--assignments", str(out)], threads)
            ours = column(out, "segment")
            agreement.append((float(np.mean(ours == peer)), adjusted_rand_score(peer, ours)))
            if index == "auto":
                chosen = re.search(r"index (\w+)", summary).group(1)
                auto_s = seconds["auto"]
        same = min(a for a, _ in agreement)
        ari = min(b for _, b in agreement)
        print(f"{name:24s} {len(x):8d} {eps:5.2f} {min_samples:4d} {peer.max() + 1:8d} {np.mean(peer < 0):6.1%} "
              f"{same:7.4f} {ari:7.4f} {peer_s:10.2f} {seconds['grid']:7.2f} {seconds['kdtree']:9.2f} "
              f"{chosen:>7s} {auto_s / peer_s:6.2f}", flush=True)


def cluster_keys(z, n):
    """Each merge's cluster as (sum of random 64-bit leaf keys mod 2^64, size): equal keys mean equal leaf sets."""
    rng = np.random.default_rng(99)
    key = [int(v) for v in rng.integers(0, 2 ** 63, size=n, dtype=np.uint64)] + [0] * (n - 1)
    out = []
    for i, (a, b, _, size) in enumerate(z):
        key[n + i] = (key[int(a)] + key[int(b)]) & (2 ** 64 - 1)
        out.append((key[n + i], int(round(size))))
    return out


def compare_hierarchical(work, n, threads, k):
    x, y = make_blobs(n_samples=n, centers=k, n_features=4, cluster_std=1.5, random_state=7)
    x = x.astype(np.float32)
    path = work / f"hierarchical-{n}.parquet"
    write(path, x, y)
    print(f"{len(x):,} points, 4-D, {k} blobs; cut into k={k}")
    print(f"{'linkage':9s} {'same merges':>11s} {'max rel height diff':>20s} {'cut ARI':>8s} "
          f"{'scipy s':>8s} {'sklearn s':>10s} {'segmenta s':>11s} {'vs scipy':>9s} {'vs sklearn':>11s}")
    x64 = x.astype(np.float64)
    for method in ("ward", "complete", "average", "single"):
        start = time.perf_counter()
        z = linkage(x64, method=method)
        scipy_s = time.perf_counter() - start
        start = time.perf_counter()
        peer = AgglomerativeClustering(n_clusters=k, linkage=method).fit(x).labels_
        sklearn_s = time.perf_counter() - start
        merges = work / f"merges-{method}.csv"
        out = work / f"hierarchical-{method}.parquet"
        _, ours_s = segmenta(["-i", str(path), "--algorithm", "hierarchical", "--linkage", method, "--k", str(k),
                              "--model", str(work / "h.json"), "--assignments", str(out), "--merges", str(merges)],
                             threads)
        ours_z = np.loadtxt(merges, delimiter=",", skiprows=1)
        theirs = dict(zip(cluster_keys(z, len(x)), z[:, 2]))
        matched = 0
        worst = 0.0
        for key, height in zip(cluster_keys(ours_z, len(x)), ours_z[:, 2]):
            if key in theirs:
                matched += 1
                ref = theirs[key]
                worst = max(worst, abs(height - ref) / max(abs(ref), 1e-300))
        ari = adjusted_rand_score(peer, column(out, "segment"))
        print(f"{method:9s} {matched / len(z):11.4f} {worst:20.2e} {ari:8.4f} {scipy_s:8.2f} {sklearn_s:10.2f} "
              f"{ours_s:11.2f} {ours_s / scipy_s:9.2f} {ours_s / sklearn_s:11.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["dbscan", "hierarchical"])
    parser.add_argument("--n", type=int, help="points per data set (default: 50000 for dbscan, 5000 hierarchical)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--k", type=int, default=5, help="hierarchical: blobs and segments of the cut")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="segmenta-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    print(f"work directory {work}; {args.threads} threads", file=sys.stderr)
    with threadpool_limits(limits=args.threads):
        if args.what == "dbscan":
            compare_dbscan(work, args.n or 50000, args.threads)
        else:
            compare_hierarchical(work, args.n or 5000, args.threads, args.k)


if __name__ == "__main__":
    main()
