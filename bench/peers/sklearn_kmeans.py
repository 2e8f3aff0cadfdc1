"""scikit-learn KMeans (Lloyd) on the file a Segmenta fit reads, in the same feature space.

Features: the model's feature list when --model is given, otherwise every floating-point column but
customer_id and true_segment (or --features). Scaling: the model's offsets and scales when --model
is given, so both fits work on identical inputs; otherwise z-scores as Segmenta's default does
(population standard deviation, ddof=0; a constant column keeps scale 1). Data are float32, as in
Segmenta. Initialisation: the model's centroids (--init model, the default with --model) or
k-means++ with --seed. scikit-learn's tol, like Segmenta's --tol, is relative to the mean feature
variance.

Two timed fits, both single-restart Lloyd (n_init=1, algorithm="lloyd"), both under
threadpoolctl's --threads limit:
  1. the requested fit (--max-iter, --tol): time_fit_s, n_iter, inertia, ARI;
  2. max_iter=20, tol=0 from fixed initial centroids (no seeding in the timing):
     per_iteration_ms = time / iterations run (20 unless Lloyd converged exactly earlier).

Prints one JSON object on stdout.

    python bench/peers/sklearn_kmeans.py customers.parquet --k 8 --seed 1 --threads 2 \
        --model model.json --assignments segments.parquet
"""
import argparse
import json
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.csv
import pyarrow.feather
import pyarrow.parquet
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

ID_COLUMN = "customer_id"
TRUTH_COLUMN = "true_segment"
PER_ITERATION_FIT = 20


def read_table(path, columns=None):
    lower = path.lower()
    if lower.endswith(".parquet"):
        return pyarrow.parquet.read_table(path, columns=columns)
    if lower.endswith(".csv"):
        table = pyarrow.csv.read_csv(path)
    elif lower.endswith((".arrow", ".feather", ".ipc")):
        table = pyarrow.feather.read_table(path)
    elif lower.endswith(".arrows"):
        with pa.ipc.open_stream(path) as reader:
            table = reader.read_all()
    else:
        sys.exit(f"{path}: unknown file type; expected .parquet, .csv, .arrow or .arrows")
    return table.select(columns) if columns else table


def feature_names(table, args, model):
    if model is not None:
        return list(model["features"])
    if args.features:
        return args.features.split(",")
    return [field.name for field in table.schema
            if pa.types.is_floating(field.type) and field.name not in (ID_COLUMN, TRUTH_COLUMN)]


def scaled(x, model):
    if model is not None:
        scaling = model["scaling"]
        offset = np.asarray(scaling["offset"], dtype=np.float64)
        scale = np.asarray(scaling["scale"], dtype=np.float64)
    else:
        offset = x.mean(axis=0, dtype=np.float64)
        scale = x.std(axis=0, dtype=np.float64)
        scale[~(scale > 0)] = 1.0
    return ((x - offset) / scale).astype(np.float32)


def segmenta_labels(path, ids):
    """Segmenta's segment per customer, reordered to the rows of the input file."""
    table = read_table(path, [ID_COLUMN, "segment"] if path.lower().endswith(".parquet") else None)
    seg_ids = table[ID_COLUMN].to_numpy()
    segments = table["segment"].to_numpy()
    if ids is not None and not np.array_equal(seg_ids, ids):
        order = np.argsort(seg_ids, kind="stable")
        position = np.searchsorted(seg_ids, ids, sorter=order)
        segments = segments[order[position]]
    return segments


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input")
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--features", help="comma-separated feature columns (default: all float columns)")
    parser.add_argument("--model", help="Segmenta model JSON: its features, scaling and (by default) centroids")
    parser.add_argument("--init", choices=["model", "k-means++"],
                        help="initial centroids: the model's (default with --model) or k-means++ (default without)")
    parser.add_argument("--assignments", help="Segmenta assignments file, for the ARI between the two fits")
    args = parser.parse_args()

    model = None
    if args.model:
        with open(args.model) as f:
            model = json.load(f)
        if model["k"] != args.k:
            sys.exit(f"{args.model}: model has k={model['k']}, not --k {args.k}")
    init_mode = args.init or ("model" if model is not None else "k-means++")
    if init_mode == "model" and model is None:
        sys.exit("--init model needs --model")

    start = time.perf_counter()
    table = read_table(args.input)
    names = feature_names(table, args, model)
    x = np.column_stack([table[c].to_numpy().astype(np.float32) for c in names])
    x = scaled(x, model)
    ids = table[ID_COLUMN].to_numpy() if ID_COLUMN in table.column_names else None
    truth = table[TRUTH_COLUMN].to_numpy() if TRUTH_COLUMN in table.column_names else None
    read_s = time.perf_counter() - start

    with threadpool_limits(limits=args.threads):
        if init_mode == "model":
            centroids = np.asarray(model["centroids"], dtype=np.float32)
        else:
            centroids, _ = kmeans_plusplus(x, args.k, random_state=args.seed)
        init = centroids if init_mode == "model" else "k-means++"

        start = time.perf_counter()
        fit = KMeans(n_clusters=args.k, init=init, n_init=1, max_iter=args.max_iter, tol=args.tol,
                     algorithm="lloyd", random_state=args.seed).fit(x)
        time_fit_s = time.perf_counter() - start

        start = time.perf_counter()
        fixed = KMeans(n_clusters=args.k, init=centroids, n_init=1, max_iter=PER_ITERATION_FIT, tol=0.0,
                       algorithm="lloyd").fit(x)
        fixed_s = time.perf_counter() - start

    result = {
        "peer": "scikit-learn KMeans(algorithm=lloyd)",
        "rows": int(x.shape[0]),
        "features": names,
        "k": args.k,
        "threads": args.threads,
        "init": init_mode,
        "read_s": round(read_s, 4),
        "time_fit_s": round(time_fit_s, 4),
        "n_iter": int(fit.n_iter_),
        "inertia": float(fit.inertia_),
        "per_iteration_ms": round(1e3 * fixed_s / fixed.n_iter_, 3),
        "per_iteration_fit_iterations": int(fixed.n_iter_),
    }
    if truth is not None:
        result["ari_true_segment"] = round(float(adjusted_rand_score(truth, fit.labels_)), 6)
    if args.assignments:
        segments = segmenta_labels(args.assignments, ids)
        result["ari_segmenta"] = round(float(adjusted_rand_score(segments, fit.labels_)), 6)
        if truth is not None:
            result["segmenta_ari_true_segment"] = round(float(adjusted_rand_score(truth, segments)), 6)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
