"""scikit-learn MiniBatchKMeans (and optionally KMeans) on the file ClusterVariantsBenchmark uses.

Same preprocessing as Segmenta (z-score with the population standard deviation, float32), same
batch size (1024), k-means++ seeding, one initialisation, tol=0 so only the smoothed-inertia
patience (max_no_improvement=10) stops it, as in the Java run.

    OMP_NUM_THREADS=2 /work/pyenv/bin/python bench/peers/sklearn_minibatch.py /tmp/c10m.arrow 8 [--lloyd]
"""
import sys
import time

import numpy as np
import pyarrow.feather as feather
from sklearn.cluster import KMeans, MiniBatchKMeans


def main():
    path, k = sys.argv[1], int(sys.argv[2])
    table = feather.read_table(path) if path.endswith(".arrow") else __import__("pyarrow.parquet").parquet.read_table(path)
    names = [c for c in table.column_names if c != "customer_id"]
    x = np.column_stack([table[c].to_numpy().astype(np.float32) for c in names])
    mean = x.mean(axis=0, dtype=np.float64)
    std = x.std(axis=0, dtype=np.float64)
    std[std == 0] = 1
    x = ((x - mean) / std).astype(np.float32)
    print(f"data {x.shape[0]:,} x {x.shape[1]}")

    start = time.perf_counter()
    mb = MiniBatchKMeans(n_clusters=k, batch_size=1024, n_init=1, max_no_improvement=10, tol=0.0,
                         random_state=1).fit(x)
    seconds = time.perf_counter() - start
    print(f"k={k} sklearn MiniBatchKMeans {mb.n_steps_} steps, {seconds:.3f} s | inertia {mb.inertia_:.6g}")
    if "--lloyd" in sys.argv:
        start = time.perf_counter()
        km = KMeans(n_clusters=k, n_init=1, random_state=1, algorithm="lloyd").fit(x)
        seconds = time.perf_counter() - start
        print(f"k={k} sklearn KMeans(lloyd) {km.n_iter_} iterations, {seconds:.3f} s | inertia {km.inertia_:.6g}")


if __name__ == "__main__":
    main()
