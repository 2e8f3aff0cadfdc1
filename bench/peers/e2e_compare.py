"""The whole job side by side: file in, segments out, each engine a fresh process, on the same files.

Run it through `compare.sh --e2e`, which sets up the venv first. Where compare.py times Lloyd iterations
and fit_compare.py whole fits, this times what a batch job waits for, step by step:

  1. Whole process, for each --sizes N (customers x --features, k=--k, 8 true segments, generated once
     into --workdir as Parquet): `segmenta fit --n-init 1 --seed 1 --model M --assignments A.parquet`
     against a fresh Python interpreter that imports pyarrow and the engine, reads the file with
     pyarrow, z-scores it into float32 as segmenta does, fits, and writes customer_id, segment and
     distance to Parquet with pyarrow's default writer: scikit-learn's KMeans(n_init=1, random_state=1,
     algorithm="lloyd") under threadpoolctl's limit of --threads, and FAISS's faiss.Kmeans (its default
     25 iterations, seed 1, --threads OpenMP threads). Segmenta's phases come from the times its
     progress lines reach stderr: start (to 'reading'), read (to 'read N customers'), seeding and
     iterations, assignments written, model and exit.
  2. Reading alone, per format: the time segmenta's fit reports for 'read N customers ... in X s'
     (the file into the fit's blocks, ids checked) against pyarrow in a fresh interpreter timing only
     the call: pq.read_table, pyarrow.feather.read_table and pyarrow.csv.read_csv, each on all cores.
  3. Start-up: `segmenta --version` and a fit of a 1,000-customer CSV (median of --repeat), whole
     process; with the launcher's start-up cache and without it (SEGMENTA_AOT=0).
  4. Output size: segmenta's assignments file against pyarrow's default writer (Snappy, dictionary)
     writing the same table, and pyarrow's write time.
Every timed step runs --repeat times, engines alternating, and the median is shown.
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

ROOT = pathlib.Path(__file__).resolve().parents[2]
SEGMENTA = ROOT / "segmenta"


def log(message):
    print(f"e2e_compare: {message}", file=sys.stderr, flush=True)


def generate(workdir, customers, features, extension):
    path = pathlib.Path(workdir) / f"e2e-{customers}x{features}{extension}"
    if not path.exists():
        subprocess.run([str(SEGMENTA), "generate", "--customers", str(customers), "--features", str(features),
                        "--segments", "8", "--seed", "7", "--out", str(path), "--quiet"], check=True)
    return path


def timeline(command, env=None):
    """Runs a command; returns its wall time, and each stderr line with the seconds at which it arrived."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines = []
    for line in process.stderr:
        lines.append((time.perf_counter() - started, line.rstrip("\n")))
    out = process.stdout.read()
    code = process.wait()
    wall = time.perf_counter() - started
    if code != 0:
        sys.exit(f"e2e_compare: {' '.join(command)} failed (exit {code}):\n" + "\n".join(l for _, l in lines))
    return wall, lines, out


def at(lines, pattern):
    for seconds, line in lines:
        if re.search(pattern, line):
            return seconds
    return None


def segmenta_fit(path, args, assignments):
    model = pathlib.Path(args.workdir) / "e2e-model.json"
    wall, lines, out = timeline([str(SEGMENTA), "fit", "--input", str(path), "--k", str(args.k), "--seed", "1",
                                 "--n-init", "1", "--threads", str(args.threads), "--model", str(model),
                                 "--assignments", str(assignments)])
    read_line = next(line for _, line in lines if re.match(r"read [\d,]+ customers x", line))
    marks = {"reading": at(lines, r"^reading "), "read": at(lines, r"^read [\d,]+ customers x"),
             "fitted": at(lines, r"inertia .* after \d+ iterations"), "assignments": at(lines, r"^wrote [\d,]+ assignments"),
             "model": at(lines, r"^wrote model")}
    return {"wall_s": wall, "read_s": float(re.search(r" in ([0-9.]+) s$", read_line).group(1)),
            "fit_s": float(re.search(r"\| fit ([0-9.]+) s", out).group(1)), "marks": marks}


def peer_job(engine, path, args):
    """The whole job in this (fresh) interpreter, for --job: read, scale, fit, write the assignments."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pq.read_table(path)
    names = [f.name for f in table.schema if f.name not in ("customer_id", "true_segment")]
    x = np.column_stack([table[c].to_numpy().astype(np.float32) for c in names])
    ids = table["customer_id"]
    del table
    scale = x.std(axis=0, dtype=np.float64)
    scale[~(scale > 0)] = 1.0
    x = np.ascontiguousarray(((x - x.mean(axis=0, dtype=np.float64)) / scale).astype(np.float32))
    if engine == "sklearn":
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits
        with threadpool_limits(limits=args.threads):
            model = KMeans(n_clusters=args.k, n_init=1, random_state=1, algorithm="lloyd").fit(x)
            labels = model.labels_.astype(np.int32)
            distances = np.sqrt(model.transform(x).min(axis=1)).astype(np.float32)
    else:
        import faiss
        faiss.omp_set_num_threads(args.threads)
        kmeans = faiss.Kmeans(x.shape[1], args.k, seed=1)
        kmeans.train(x)
        squared, nearest = kmeans.index.search(x, 1)
        labels = nearest[:, 0].astype(np.int32)
        distances = np.sqrt(np.maximum(squared[:, 0], 0)).astype(np.float32)
    pq.write_table(pa.table({"customer_id": ids, "segment": labels, "distance": distances}),
                   pathlib.Path(args.workdir) / f"e2e-{engine}-assignments.parquet")


def peer_available(engine):
    module = {"sklearn": "sklearn", "faiss": "faiss"}[engine]
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def run_peer(engine, path, args):
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--job", engine, str(path), "--k", str(args.k), "--threads",
                    str(args.threads), "--workdir", args.workdir], check=True)
    return time.perf_counter() - started


PYARROW_READ = {
    ".parquet": "import pyarrow.parquet as m; read = lambda p: m.read_table(p)",
    ".arrow": "import pyarrow.feather as m; read = lambda p: m.read_table(p)",
    ".csv": "import pyarrow.csv as m; read = lambda p: m.read_csv(p)",
}


def pyarrow_read(path):
    """Seconds pyarrow takes to read the file into memory, timing the call alone in a fresh interpreter."""
    code = (PYARROW_READ[path.suffix] + "\nimport sys, time\nstart = time.perf_counter()\nt = read(sys.argv[1])\n"
            "print(time.perf_counter() - start, t.num_rows)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    return float(out.split()[0])


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="customers per whole-process run, comma-separated")
    parser.add_argument("--read-sizes", default="parquet=10000000,arrow=10000000,csv=3000000",
                        help="format=customers for the reading runs")
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--job", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    if args.job:
        peer_job(args.job[0], args.job[1], args)
        return
    work = pathlib.Path(args.workdir)
    results = {"whole": {}, "read": {}, "startup": {}, "size": {}}
    peers = [p for p in ("sklearn", "faiss") if peer_available(p)]

    for n in (int(s) for s in args.sizes.split(",")):
        path = generate(args.workdir, n, args.features, ".parquet")
        runs = {"segmenta": [], **{p: [] for p in peers}}
        for r in range(args.repeat):
            log(f"whole process, {n:,} customers: round {r + 1} of {args.repeat}")
            runs["segmenta"].append(segmenta_fit(path, args, work / "e2e-segmenta-assignments.parquet"))
            for p in peers:
                runs[p].append(run_peer(p, path, args))
        results["whole"][n] = runs

    for spec in args.read_sizes.split(","):
        fmt, n = spec.split("=")
        path = generate(args.workdir, int(n), args.features, "." + fmt)
        seg, arrow = [], []
        for r in range(args.repeat):
            log(f"reading {path.name}: round {r + 1} of {args.repeat}")
            seg.append(segmenta_fit(path, args, work / "e2e-read-assignments.csv")["read_s"])
            arrow.append(pyarrow_read(path))
        results["read"][path.name] = {"segmenta": seg, "pyarrow": arrow}

    small = generate(args.workdir, 1000, args.features, ".csv")
    for label, env in (("with the start-up cache", None), ("SEGMENTA_AOT=0", {**os.environ, "SEGMENTA_AOT": "0"})):
        timeline([str(SEGMENTA), "--version"], env)  # a first start records the cache when it is missing
        version, fit = [], []
        for r in range(args.repeat):
            version.append(timeline([str(SEGMENTA), "--version"], env)[0])
            fit.append(timeline([str(SEGMENTA), "fit", "-i", str(small), "--k", str(args.k), "--seed", "1",
                                 "-m", str(work / "e2e-small.json"), "-q"], env)[0])
        results["startup"][label] = {"version_s": version, "fit_1000_s": fit}

    import pyarrow.parquet as pq
    ours = work / "e2e-segmenta-assignments.parquet"
    table = pq.read_table(ours)
    theirs = work / "e2e-pyarrow-assignments.parquet"
    writes = []
    for r in range(args.repeat):
        started = time.perf_counter()
        pq.write_table(table, theirs)
        writes.append(time.perf_counter() - started)
    results["size"] = {"rows": table.num_rows, "columns": table.column_names, "segmenta_bytes": ours.stat().st_size,
                       "pyarrow_bytes": theirs.stat().st_size, "pyarrow_write_s": writes}

    print(f"\n{args.features} features, k={args.k}, {args.threads} threads, median of {args.repeat} runs\n")
    print("| whole process | Segmenta | " + " | ".join(peers) + " | Segmenta / " + " | Segmenta / ".join(peers) + " |")
    print("|---|---|" + "---|" * (2 * len(peers)))
    for n, runs in results["whole"].items():
        seg = median(r["wall_s"] for r in runs["segmenta"])
        cells = [f"{median(runs[p]):.2f} s" for p in peers] + [f"{seg / median(runs[p]):.2f}" for p in peers]
        print(f"| {n:,} customers | {seg:.2f} s | " + " | ".join(cells) + " |")
    print("\n| Segmenta's phases (median run) | start | read | prepare + fit | write assignments | model, profiles, exit |")
    print("|---|---|---|---|---|---|")
    for n, runs in results["whole"].items():
        run = sorted(runs["segmenta"], key=lambda r: r["wall_s"])[len(runs["segmenta"]) // 2]
        m = run["marks"]
        print(f"| {n:,} customers | {m['reading']:.2f} s | {m['read'] - m['reading']:.2f} s | "
              f"{m['fitted'] - m['read']:.2f} s | {m['assignments'] - m['fitted']:.2f} s | {run['wall_s'] - m['assignments']:.2f} s |")
    print("\n| reading into memory | Segmenta | pyarrow | Segmenta / pyarrow |")
    print("|---|---|---|---|")
    for name, r in results["read"].items():
        print(f"| {name} | {median(r['segmenta']):.2f} s | {median(r['pyarrow']):.2f} s | "
              f"{median(r['segmenta']) / median(r['pyarrow']):.2f} |")
    print("\n| start-up (whole process) | --version | fit of 1,000 customers (CSV) |")
    print("|---|---|---|")
    for label, r in results["startup"].items():
        print(f"| {label} | {median(r['version_s']):.2f} s | {median(r['fit_1000_s']):.2f} s |")
    s = results["size"]
    print(f"\nassignments of {s['rows']:,} customers ({', '.join(s['columns'])}): Segmenta {s['segmenta_bytes'] / 1e6:.1f} MB, "
          f"pyarrow's default writer {s['pyarrow_bytes'] / 1e6:.1f} MB ({s['segmenta_bytes'] / s['pyarrow_bytes']:.2f}x), "
          f"pyarrow writes it in {median(s['pyarrow_write_s']):.2f} s")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
