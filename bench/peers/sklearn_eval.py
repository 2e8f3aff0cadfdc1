"""scikit-learn's silhouette, Calinski-Harabasz, Davies-Bouldin and PCA on the data a Segmenta model sees.

    python bench/peers/sklearn_eval.py customers.parquet --model model.json --assignments segments.parquet \
        --sample-out sample.parquet --sample-size 5000 --seed 0 --threads 2

Features are the model's, scaled with the model's offsets and scales into float32 exactly as Segmenta
does ((x - offset) / scale in float64, then rounded to float32), labels are Segmenta's own assignments.
It then
  1. draws --sample-size customers uniformly (numpy, --seed) and writes them (customer_id and the raw
     features) to --sample-out, so that 'segmenta evaluate' can score exactly the same customers, and
     computes silhouette_score (exact, Euclidean), calinski_harabasz_score and davies_bouldin_score on
     them, in float64;
  2. times silhouette_score(X, labels, sample_size=--estimate-size) on all customers: scikit-learn's
     own estimate for large data (the exact silhouette of a random subsample);
  3. times PCA(svd_solver="full") on all scaled customers and reports its explained_variance_ratio_.
Prints one JSON object on stdout.
"""
import argparse
import json
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet
from sklearn.decomposition import PCA
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from threadpoolctl import threadpool_limits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--model", required=True)
    parser.add_argument("--assignments", required=True)
    parser.add_argument("--sample-out", required=True)
    parser.add_argument("--sample-size", type=int, default=5000)
    parser.add_argument("--estimate-size", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    with open(args.model) as f:
        model = json.load(f)
    features = model["features"]
    start = time.perf_counter()
    table = pyarrow.parquet.read_table(args.data, columns=["customer_id"] + features)
    raw = np.column_stack([table.column(name).to_numpy().astype(np.float32) for name in features])
    offset = np.asarray(model["scaling"]["offset"])
    scale = np.asarray(model["scaling"]["scale"])
    x = ((raw.astype(np.float64) - offset) / scale).astype(np.float32)
    read_s = time.perf_counter() - start
    labels = pyarrow.parquet.read_table(args.assignments, columns=["segment"]).column("segment").to_numpy()

    rng = np.random.default_rng(args.seed)
    rows = np.sort(rng.choice(len(x), size=args.sample_size, replace=False))
    pyarrow.parquet.write_table(table.take(pa.array(rows)), args.sample_out)
    xs = x[rows].astype(np.float64)
    ls = labels[rows]
    out = {"customers": len(x), "sample_size": args.sample_size, "read_and_scale_s": read_s}
    with threadpool_limits(limits=args.threads):
        start = time.perf_counter()
        out["sample_silhouette"] = float(silhouette_score(xs, ls))
        out["sample_silhouette_s"] = time.perf_counter() - start
        out["sample_calinski_harabasz"] = float(calinski_harabasz_score(xs, ls))
        out["sample_davies_bouldin"] = float(davies_bouldin_score(xs, ls))

        start = time.perf_counter()
        out["estimate_silhouette"] = float(silhouette_score(x, labels, sample_size=args.estimate_size,
                                                            random_state=args.seed))
        out["estimate_size"] = args.estimate_size
        out["estimate_silhouette_s"] = time.perf_counter() - start

        start = time.perf_counter()
        pca = PCA(svd_solver="full").fit(x)
        out["pca_s"] = time.perf_counter() - start
        out["pca_explained_variance_ratio"] = pca.explained_variance_ratio_.tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
