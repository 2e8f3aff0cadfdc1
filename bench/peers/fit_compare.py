"""Whole fits side by side: `segmenta fit` against scikit-learn's KMeans(n_clusters=k, n_init=1) (or, with
--algorithm minibatch, `fit --algorithm minibatch` against MiniBatchKMeans), each with its own k-means++
seeding and its own convergence test, on the same generated file.

Run it through `compare.sh --fit`, which sets up the venv first. Where compare.py times Lloyd iterations
from shared initial centroids, this answers the analyst's question: given the file, which engine returns
a model first, and are the models as good?

  1. `segmenta generate --segments S --seed 7` writes the customers once (kept in --workdir).
  2. Segmenta: `segmenta fit --k K --seed 1 --n-init 1 --threads T` with its defaults (z-score scaling,
     k-means++, tolerance 1e-4, at most 300 iterations). Timed twice: the whole command (JVM start,
     reading the Parquet file, scaling, fit, writing model and assignments) and the fit alone, which
     the command's summary line reports (seeding plus Lloyd iterations).
  3. scikit-learn, in a fresh interpreter per run: reads the file with pyarrow and z-scores it as
     segmenta does (population standard deviation) into float32, then KMeans(n_clusters=K, n_init=1,
     random_state=1, algorithm="lloyd"), its defaults otherwise (tolerance 1e-4, at most 300
     iterations), under threadpoolctl's limit of T threads, then writes the assignments (id, segment,
     distance) to Parquet. Timed twice: the whole process (interpreter start and imports included) and
     fit() alone. With --algorithm minibatch: MiniBatchKMeans with
     Segmenta's defaults (batches of 1,024, one initialisation, tol=0 so that only the patience of 10
     batches without improvement of the smoothed inertia stops it).
  4. Both models are scored by the same code on the same z-scored points: nearest centroid, inertia in
     double, adjusted Rand index against the true segments and between the two engines.
With --repeat R each engine runs R times, alternating, and the median is shown.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import pyarrow.parquet as pq
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from compare import score, zscored

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEGMENTA = ROOT / "segmenta"


def generate(args):
    path = pathlib.Path(args.workdir) / f"fit-{args.customers}x{args.features}-s{args.segments}.parquet"
    if not path.exists():
        subprocess.run([str(SEGMENTA), "generate", "--customers", str(args.customers), "--features",
                        str(args.features), "--segments", str(args.segments), "--seed", "7",
                        "--out", str(path), "--quiet"], check=True)
    return path


def run_segmenta(path, args):
    model = pathlib.Path(args.workdir) / "fit-compare-model.json"
    assignments = pathlib.Path(args.workdir) / "fit-compare-assignments.parquet"
    started = time.perf_counter()
    done = subprocess.run([str(SEGMENTA), "fit", "--input", str(path), "--k", str(args.k), "--seed", "1",
                           "--n-init", "1", "--threads", str(args.threads), "--algorithm", args.algorithm, "--model", str(model),
                           "--assignments", str(assignments)], capture_output=True, text=True)
    command = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"fit_compare: segmenta fit failed (exit {done.returncode}):\n{done.stderr}")
    output = done.stdout + done.stderr
    fit_seconds = float(re.search(r"\| fit ([0-9.]+) s", output).group(1))
    iterations = re.search(r"\| (\d+ (?:iterations|steps))", output)
    iterations = iterations.group(1) if iterations else "?"
    backend = re.search(r"\| backend ([^|\n]+)", output).group(1).strip()
    centroids = json.loads(model.read_text())["centroids"]
    return {"command_s": command, "fit_s": fit_seconds, "iterations": iterations, "centroids": centroids,
            "backend": backend}


def sklearn_job(path, args):
    """The whole job in this (fresh) interpreter: read, scale, fit, write the assignments and centroids."""
    import pyarrow as pa
    started = time.perf_counter()
    x, _ = zscored(path)
    read = time.perf_counter() - started
    with threadpool_limits(limits=args.threads):
        if args.algorithm == "minibatch":
            model = MiniBatchKMeans(n_clusters=args.k, batch_size=1024, n_init=1, max_no_improvement=10,
                                    tol=0.0, random_state=1)
        else:
            model = KMeans(n_clusters=args.k, n_init=1, random_state=1, algorithm="lloyd")
        started = time.perf_counter()
        model.fit(x)
        fit_seconds = time.perf_counter() - started
        distances = np.sqrt(model.transform(x).min(axis=1)).astype(np.float32)
    ids = pq.read_table(path, columns=["customer_id"]).column(0)
    out = pathlib.Path(args.workdir)
    pq.write_table(pa.table({"customer_id": ids, "segment": model.labels_.astype(np.int32), "distance": distances}),
                   out / "fit-compare-sklearn-assignments.parquet")
    steps = f"{model.n_steps_} steps" if args.algorithm == "minibatch" else f"{model.n_iter_} iterations"
    (out / "fit-compare-sklearn.json").write_text(json.dumps({"read_s": read, "fit_s": fit_seconds, "iterations": steps,
                                                              "centroids": model.cluster_centers_.tolist()}))


def run_sklearn(path, args):
    """One fresh interpreter per run, as segmenta gets one JVM per run: its start and imports are timed too."""
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--sklearn-job", str(path), "--k", str(args.k), "--threads",
                    str(args.threads), "--algorithm", args.algorithm, "--workdir", args.workdir], check=True)
    command = time.perf_counter() - started
    result = json.loads((pathlib.Path(args.workdir) / "fit-compare-sklearn.json").read_text())
    result["command_s"] = command
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--segments", type=int, default=8, help="true segments in the generated data (default 8)")
    parser.add_argument("--algorithm", choices=["kmeans", "minibatch"], default="kmeans")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--sklearn-job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    if args.sklearn_job:
        sklearn_job(args.sklearn_job, args)
        return

    path = generate(args)
    x, truth = zscored(path)
    runs = {"segmenta": [], "sklearn": []}
    for r in range(args.repeat):
        print(f"fit_compare: round {r + 1} of {args.repeat}", file=sys.stderr)
        runs["segmenta"].append(run_segmenta(path, args))
        runs["sklearn"].append(run_sklearn(path, args))

    def median_run(engine):
        ordered = sorted(runs[engine], key=lambda run: run["fit_s"])
        return ordered[len(ordered) // 2]

    seg, skl = median_run("segmenta"), median_run("sklearn")
    seg_labels, seg_inertia = score(x, seg["centroids"], args.threads)
    skl_labels, skl_inertia = score(x, skl["centroids"], args.threads)
    med = statistics.median
    rows = [
        ("fit (s): seeding + Lloyd", f"{seg['fit_s']:.3f}", f"{skl['fit_s']:.3f}", f"{seg['fit_s'] / skl['fit_s']:.2f}"),
        ("whole command (s): start, read, scale, fit, write assignments", f"{med(r['command_s'] for r in runs['segmenta']):.2f}",
         f"{med(r['command_s'] for r in runs['sklearn']):.2f}",
         f"{med(r['command_s'] for r in runs['segmenta']) / med(r['command_s'] for r in runs['sklearn']):.2f}"),
        ("iterations", seg["iterations"], skl["iterations"], ""),
        ("inertia (same scoring)", f"{seg_inertia:.6g}", f"{skl_inertia:.6g}", f"{seg_inertia / skl_inertia:.6f}"),
        ("ARI against the true segments", f"{adjusted_rand_score(truth, seg_labels):.4f}",
         f"{adjusted_rand_score(truth, skl_labels):.4f}", ""),
    ]
    print(f"\n{args.algorithm}: {args.customers:,} customers x {args.features} features, {args.segments} true segments, k={args.k}, "
          f"{args.threads} threads; median of {args.repeat} runs by fit time; "
          f"Segmenta backend {seg['backend']}; ARI between the engines "
          f"{adjusted_rand_score(seg_labels, skl_labels):.4f}\n")
    print("| | Segmenta | scikit-learn | Segmenta / scikit-learn |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if args.json:
        for engine in runs:
            for run in runs[engine]:
                run.pop("centroids", None)
        pathlib.Path(args.json).write_text(json.dumps({"args": vars(args), "runs": runs,
                                                       "inertia": {"segmenta": seg_inertia, "sklearn": skl_inertia}}, indent=1))


if __name__ == "__main__":
    main()
