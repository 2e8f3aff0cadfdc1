"""Writes the golden files of the DBSCAN and hierarchical JUnit tests (engine/src/test/resources/golden/).

Each data set is float32 (written with 9 significant digits, so Java reads back the same floats), and
the expected answers come from scikit-learn's DBSCAN and scipy's linkage run on exactly those floats:

    bench/peers/.venv/bin/python bench/peers/make_golden.py engine/src/test/resources/golden

DBSCAN sets are checked to have no pair within 1e-4 (relative) of eps, so float32 and float64
distances cannot decide a pair differently; linkage sets have no two merge heights within 1e-6.
"""
import sys
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import pdist
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs, make_moons


def write_points(path, x):
    with open(path, "w") as f:
        f.write(",".join(f"f{i}" for i in range(x.shape[1])) + "\n")
        for row in x:
            f.write(",".join(f"{v:.9g}" for v in row) + "\n")


def dbscan_case(out, name, x, eps, min_samples, weights=None):
    x = np.asarray(x, dtype=np.float32)
    d = pdist(x.astype(np.float64))
    close = np.abs(d - eps) < 1e-4 * eps
    if close.any():
        raise SystemExit(f"{name}: {close.sum()} pairs within 1e-4 of eps={eps}; pick another eps")
    labels = DBSCAN(eps=eps, min_samples=min_samples).fit(x, sample_weight=weights).labels_
    write_points(out / f"dbscan-{name}.csv", x)
    with open(out / f"dbscan-{name}.expected", "w") as f:
        f.write(f"eps={eps!r}\nmin_samples={min_samples}\n")
        if weights is not None:
            f.write("weights=" + ",".join(f"{w:g}" for w in weights) + "\n")
        f.write("labels=" + ",".join(str(v) for v in labels) + "\n")
    n_clusters = labels.max() + 1
    print(f"dbscan {name}: {len(x)} points, {n_clusters} clusters, {np.sum(labels < 0)} noise")


def linkage_case(out, name, x):
    x = np.asarray(x, dtype=np.float32)
    write_points(out / f"linkage-{name}.csv", x)
    for method in ("ward", "complete", "average", "single"):
        z = linkage(x.astype(np.float64), method=method)
        heights = np.sort(z[:, 2])
        gaps = np.diff(heights)
        if (gaps < 1e-6 * np.maximum(heights[1:], 1e-12)).any():
            raise SystemExit(f"{name}/{method}: tied merge heights; use other data")
        with open(out / f"linkage-{name}-{method}.csv", "w") as f:
            f.write("left,right,height,size\n")
            for a, b, h, s in z:
                f.write(f"{int(a)},{int(b)},{h:.17g},{int(s)}\n")
    print(f"linkage {name}: {len(x)} points")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20240601)

    blobs, _ = make_blobs(n_samples=300, centers=[[0, 0], [4, 4], [-4, 5]], cluster_std=0.7, random_state=3)
    blobs = np.vstack([blobs, rng.uniform(-8, 8, size=(20, 2))])
    dbscan_case(out, "blobs", blobs, 0.52, 5)

    moons, _ = make_moons(n_samples=400, noise=0.07, random_state=5)
    dbscan_case(out, "moons", moons, 0.12, 8)

    varied, _ = make_blobs(n_samples=[150, 150, 100], centers=[[0, 0], [6, 0], [3, 6]],
                           cluster_std=[0.3, 1.0, 2.0], random_state=11)
    dbscan_case(out, "varied", varied, 0.7, 10)

    blobs5, _ = make_blobs(n_samples=250, n_features=5, centers=4, cluster_std=1.0, random_state=8)
    dbscan_case(out, "blobs5d", blobs5, 1.6, 5)

    weighted = blobs[:120]
    weights = rng.integers(0, 4, size=len(weighted)).astype(np.float64)
    dbscan_case(out, "weighted", weighted, 0.45, 6, weights)

    linkage_case(out, "small", rng.normal(size=(40, 3)) * np.array([1.0, 2.0, 0.5]))
    clustered, _ = make_blobs(n_samples=60, n_features=2, centers=3, cluster_std=1.2, random_state=4)
    linkage_case(out, "blobs", clustered)


if __name__ == "__main__":
    main()
