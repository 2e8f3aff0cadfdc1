#!/usr/bin/env bash
# Segmenta's evaluation against scikit-learn on one generated file, in one run.
#
#   bench/peers/eval_compare.sh [--customers N] [--features D] [--k K] [--seed S] [--threads T]
#                               [--sample N] [--reference N] [--elbow FROM..TO] [--workdir DIR]
#
# 1. generate N customers and fit k segments (Segmenta);
# 2. silhouette on all N: 'segmenta evaluate' with its default stratified sample (its time, sample size
#    and 95% interval), and scikit-learn's silhouette_score(sample_size=10000) beside it;
#    with --reference M also a Segmenta estimate from M scored customers, to check the interval covers it;
# 3. the same --sample customers (default 5,000) scored exactly by both: silhouette, Calinski-Harabasz and
#    Davies-Bouldin, with the absolute differences;
# 4. PCA of all N scaled customers: 'segmenta pca' against scikit-learn's PCA (time, explained variance);
# 5. 'segmenta elbow --k FROM..TO' (default 2..20) with one fit at a time on all threads, then one fit per thread.
# Both sides are limited to --threads threads. The first run creates bench/peers/.venv.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

customers=1000000 features=8 k=8 seed=7 threads=2 sample=5000 reference="" elbow=2..20 workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers="$2"; shift 2 ;;
    --features) features="$2"; shift 2 ;;
    --k) k="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    --reference) reference="$2"; shift 2 ;;
    --elbow) elbow="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "eval_compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

venv="$here/.venv"
python="$venv/bin/python"
if ! { [ -x "$python" ] && "$python" -c 'import sklearn, pyarrow, threadpoolctl' 2>/dev/null; }; then
  echo "eval_compare.sh: setting up $venv (scikit-learn, pyarrow, threadpoolctl)..." >&2
  python3 -m venv "$venv"
  "$python" -m pip install --quiet --upgrade pip >&2
  "$python" -m pip install --quiet scikit-learn pyarrow threadpoolctl >&2
fi
if [ -z "$workdir" ]; then
  workdir="$(mktemp -d "${TMPDIR:-/tmp}/segmenta-eval.XXXXXX")"
fi
mkdir -p "$workdir"
data="$workdir/customers-${customers}x${features}-k${k}-s${seed}.parquet"
model="$workdir/model.json"
assignments="$workdir/assignments.parquet"
segmenta="$root/segmenta"

seconds() { local s=$EPOCHREALTIME; "$@" > "$workdir/last.out"; awk -v s="$s" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.2f", e - s }'; }

if [ ! -f "$data" ]; then
  echo "eval_compare.sh: generating $data" >&2
  "$segmenta" generate --customers "$customers" --features "$features" --segments "$k" --seed "$seed" --out "$data" -q >&2
fi
echo "eval_compare.sh: fit" >&2
"$segmenta" fit -i "$data" --k "$k" --seed 1 --threads "$threads" --model "$model" --assignments "$assignments" -q > /dev/null

echo "eval_compare.sh: segmenta evaluate on all customers" >&2
evaluate_s=$(seconds "$segmenta" evaluate -m "$model" -i "$data" --threads "$threads" --json "$workdir/evaluate.json" -q)
reference_json=null
if [ -n "$reference" ]; then
  echo "eval_compare.sh: segmenta evaluate, $reference scored customers (reference)" >&2
  "$segmenta" evaluate -m "$model" -i "$data" --threads "$threads" --silhouette-sample "$reference" \
      --json "$workdir/reference.json" -q > /dev/null
  reference_json="$workdir/reference.json"
fi

echo "eval_compare.sh: scikit-learn (sample of $sample, silhouette estimate, PCA)" >&2
sklearn_json="$(OMP_NUM_THREADS="$threads" "$python" "$here/sklearn_eval.py" "$data" --model "$model" \
    --assignments "$assignments" --sample-out "$workdir/sample.parquet" --sample-size "$sample" --threads "$threads")"

echo "eval_compare.sh: segmenta evaluate on the same $sample customers" >&2
"$segmenta" evaluate -m "$model" -i "$workdir/sample.parquet" --threads "$threads" --json "$workdir/sample.json" -q > /dev/null

echo "eval_compare.sh: segmenta pca" >&2
pca_s=$(seconds "$segmenta" pca -i "$data" --components 2 --threads "$threads" --out "$workdir/projected.parquet" \
    2> "$workdir/pca.err")
cp "$workdir/last.out" "$workdir/pca.out"

echo "eval_compare.sh: segmenta elbow --k $elbow" >&2
elbow_one_s=$(seconds "$segmenta" elbow -i "$data" --k "$elbow" --threads "$threads" --fits-at-once 1 -q)
cp "$workdir/last.out" "$workdir/elbow-one.out"
elbow_many_s=$(seconds "$segmenta" elbow -i "$data" --k "$elbow" --threads "$threads" --fits-at-once "$threads" -q)
cp "$workdir/last.out" "$workdir/elbow-many.out"

WORKDIR="$workdir" SKLEARN="$sklearn_json" REFERENCE="$reference_json" EVALUATE_S="$evaluate_s" PCA_S="$pca_s" \
ELBOW_ONE_S="$elbow_one_s" ELBOW_MANY_S="$elbow_many_s" THREADS="$threads" "$python" - <<'PY'
import json, os, re

w = os.environ["WORKDIR"]
peer = json.loads(os.environ["SKLEARN"])
full = json.load(open(f"{w}/evaluate.json"))
sample = json.load(open(f"{w}/sample.json"))
s = full["silhouette"]
half = (s["ci95"][1] - s["ci95"][0]) / 2
print(f"machine threads: {os.environ['THREADS']}; customers: {full['customers']:,}")
print("\n1. silhouette of all customers")
print(f"   segmenta evaluate  {s['value']:.5f} ± {half:.5f} (95%), {s['sampleSize']:,} scored customers, "
      f"silhouette {full['seconds']['silhouette']:.2f} s; whole command {float(os.environ['EVALUATE_S']):.2f} s "
      f"(read, assign, all metrics, exact medians)")
print(f"   sklearn silhouette_score(sample_size={peer['estimate_size']}) {peer['estimate_silhouette']:.5f} "
      f"in {peer['estimate_silhouette_s']:.2f} s (no error bound)")
if os.environ["REFERENCE"] != "null":
    r = json.load(open(os.environ["REFERENCE"]))["silhouette"]
    rh = (r["ci95"][1] - r["ci95"][0]) / 2
    inside = abs(r["value"] - s["value"]) <= half
    print(f"   reference: segmenta with {r['sampleSize']:,} scored: {r['value']:.5f} ± {rh:.5f}; "
          f"{'inside' if inside else 'OUTSIDE'} the default interval")
print(f"\n2. the same {peer['sample_size']:,} customers, exact")
for name, ours, theirs in [("silhouette", sample["silhouette"]["value"], peer["sample_silhouette"]),
                           ("calinski-harabasz", sample["calinskiHarabasz"], peer["sample_calinski_harabasz"]),
                           ("davies-bouldin", sample["daviesBouldin"], peer["sample_davies_bouldin"])]:
    print(f"   {name:18s} segmenta {ours:.8g}  sklearn {theirs:.8g}  |diff| {abs(ours - theirs):.2e}  "
          f"rel {abs(ours - theirs) / abs(theirs):.2e}")
assert sample["silhouette"]["exact"], "the sample must be scored exactly"
print(f"   silhouette time: segmenta {sample['seconds']['silhouette']:.3f} s, "
      f"sklearn silhouette_score {peer['sample_silhouette_s']:.3f} s")
pca_out = open(f"{w}/pca.out").read()
ours = [float(v) / 100 for v in re.findall(r"^pc\d+\s+([0-9.]+)%", pca_out, re.M)]
theirs = peer["pca_explained_variance_ratio"]
diff = max(abs(a - b) for a, b in zip(ours, theirs))
covariance_s = float(re.search(r"covariance of .* in ([0-9.]+) s", open(f"{w}/pca.err").read()).group(1))
print(f"\n3. PCA of all customers: segmenta pca {float(os.environ['PCA_S']):.2f} s for the whole command (two streamed "
      f"passes over the file, writes the projection), of which {covariance_s:.2f} s reading the file with the covariance "
      f"pass and the decomposition; sklearn PCA.fit {peer['pca_s']:.2f} s on the data already in memory "
      f"(+ {peer['read_and_scale_s']:.2f} s to read and scale it with pyarrow/numpy)")
print(f"   explained variance ratios: max |diff| {diff:.1e} (segmenta prints 2 decimals of percent)")
for name, key in [("one fit at a time", "ELBOW_ONE_S"), ("one fit per thread", "ELBOW_MANY_S")]:
    out = open(f"{w}/elbow-{'one' if key == 'ELBOW_ONE_S' else 'many'}.out").read()
    knee = re.search(r"suggested k = (\d+)", out)
    print(f"\n4. elbow, {name}: {float(os.environ[key]):.2f} s; suggested k = {knee.group(1) if knee else 'none'}")
PY
