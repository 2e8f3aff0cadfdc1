#!/usr/bin/env bash
# Segmenta vs scikit-learn KMeans on one generated file, in one run: time, inertia and agreement.
#
#   bench/peers/compare.sh [--customers N] [--features D] [--k K] [--segments S] [--seed S] [--threads T]
#                          [--max-iter N] [--tol T] [--init k-means++|model] [--workdir DIR]
#
# --segments is the generated data's true segments (default: k); fewer than k keeps Lloyd iterating,
# which makes the per-iteration times comparable (with k true segments both converge in ~2 iterations).
# Both fit the same file with one k-means++ restart (--n-init 1 / n_init=1), the same --max-iter and
# --tol (both relative to the mean feature variance) and the same thread count. scikit-learn reads the
# features, offsets and scales from Segmenta's model, so both cluster identical z-scored float32 data;
# with --init model it also starts from Segmenta's final centroids (a fixed-point check rather than a race).
# Times exclude reading the file: Segmenta's is its "fit" (scaling, seeding, iterations), scikit-learn's
# its KMeans.fit. Per-iteration times: Segmenta's median iteration, scikit-learn's 20-iteration fit
# (tol 0) from fixed centroids divided by the iterations it ran.
# Ratios are Segmenta / scikit-learn: below 1 means Segmenta is faster or found a lower inertia.
# The first run creates bench/peers/.venv (scikit-learn, pyarrow, threadpoolctl).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

customers=1000000 features=8 k=8 segments="" seed=1 threads=2 max_iter=300 tol=1e-4 init=k-means++ workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers="$2"; shift 2 ;;
    --features) features="$2"; shift 2 ;;
    --k) k="$2"; shift 2 ;;
    --segments) segments="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --max-iter) max_iter="$2"; shift 2 ;;
    --tol) tol="$2"; shift 2 ;;
    --init) init="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

segments="${segments:-$k}"
venv="$here/.venv"
python="$venv/bin/python"
if ! { [ -x "$python" ] && "$python" -c 'import sklearn, pyarrow, threadpoolctl' 2>/dev/null; }; then
  echo "compare.sh: setting up $venv (scikit-learn, pyarrow, threadpoolctl)..." >&2
  python3 -m venv "$venv"
  "$python" -m pip install --quiet --upgrade pip >&2
  "$python" -m pip install --quiet scikit-learn pyarrow threadpoolctl >&2
fi

if [ -z "$workdir" ]; then
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/segmenta-compare.XXXXXX")"
fi
mkdir -p "$workdir"
data="$workdir/customers-${customers}x${features}-t${segments}-s${seed}.parquet"
model="$workdir/model.json"
assignments="$workdir/assignments.parquet"

if [ ! -f "$data" ]; then
  echo "compare.sh: generating $data" >&2
  "$root/segmenta" generate --customers "$customers" --features "$features" --segments "$segments" --seed "$seed" \
      --out "$data" --quiet >&2
fi

echo "compare.sh: segmenta fit ($threads threads)" >&2
segmenta_out="$("$root/segmenta" fit --input "$data" --k "$k" --seed "$seed" --n-init 1 --max-iter "$max_iter" \
    --tol "$tol" --threads "$threads" --model "$model" --assignments "$assignments" --quiet)"
summary="$(printf '%s\n' "$segmenta_out" | grep -m1 'inertia')"

echo "compare.sh: scikit-learn KMeans ($threads threads)" >&2
sklearn_json="$(OMP_NUM_THREADS="$threads" "$python" "$here/sklearn_kmeans.py" "$data" --k "$k" --seed "$seed" \
    --max-iter "$max_iter" --tol "$tol" --threads "$threads" --model "$model" --init "$init" \
    --assignments "$assignments")"

SUMMARY="$summary" SKLEARN="$sklearn_json" "$python" - <<'PY'
import json, os, re

summary = os.environ["SUMMARY"]
peer = json.loads(os.environ["SKLEARN"])

def number(pattern):
    m = re.search(pattern, summary)
    if not m:
        raise SystemExit(f"compare.sh: cannot find /{pattern}/ in Segmenta's summary: {summary}")
    return float(m.group(1))

seg = {
    "inertia": number(r"inertia ([0-9.eE+-]+)"),
    "iterations": number(r"\| (\d+) iterations"),
    "fit_s": number(r"fit ([0-9.]+) s"),
    "init_s": number(r"init ([0-9.]+) s"),
    "ms_per_iteration": number(r"([0-9.]+) ms/iteration"),
}

print(f"data: {peer['rows']:,} customers x {len(peer['features'])} features, k={peer['k']}, "
      f"{peer['threads']} threads, scikit-learn init {peer['init']}")
print(f"segmenta: {summary.strip()}")
print()
rows = [
    ("fit time (s)", seg["fit_s"], peer["time_fit_s"]),
    ("iterations", seg["iterations"], peer["n_iter"]),
    ("time per iteration (ms)", seg["ms_per_iteration"], peer["per_iteration_ms"]),
    ("inertia", seg["inertia"], peer["inertia"]),
]
print(f"{'':26s}{'segmenta':>14s}{'scikit-learn':>14s}{'ratio':>10s}")
for name, a, b in rows:
    ratio = a / b if b else float("nan")
    print(f"{name:26s}{a:14.6g}{b:14.6g}{ratio:10.3f}")
print()
if "ari_segmenta" in peer:
    print(f"{'ARI segmenta vs scikit-learn':40s}{peer['ari_segmenta']:.4f}")
if "segmenta_ari_true_segment" in peer:
    print(f"{'ARI segmenta vs true_segment':40s}{peer['segmenta_ari_true_segment']:.4f}")
if "ari_true_segment" in peer:
    print(f"{'ARI scikit-learn vs true_segment':40s}{peer['ari_true_segment']:.4f}")
print(f"(scikit-learn per-iteration time from a {peer['per_iteration_fit_iterations']}-iteration fit)")
PY
