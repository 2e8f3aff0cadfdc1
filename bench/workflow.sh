#!/usr/bin/env bash
# Times the workflow commands at the sizes of issue 5, each as one CLI run (JVM start included): wall
# time, CPU time (less disturbed by other work on a shared machine) and peak memory (maximum resident
# set size; /usr/bin/time):
#   rfm on a generated log of --transactions rows (once more with a 256 MB heap: the state is per customer),
#   fit --impute median --dedup last --log1p on --customers customers with 1% blank cells and 2% repeats,
#   fit with the same data and no preparation (the baseline), predict with the prepared model,
#   drift of --customers against --customers others.
#
#   bench/workflow.sh [--transactions N] [--customers N] [--threads T] [--workdir DIR]
#
# Data is generated once into --workdir and reused. Blanking cells needs pyarrow: the first run creates
# bench/peers/.venv (shared with compare.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
transactions=10000000 customers=1000000 threads=2 workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --transactions) transactions="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "workflow.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
workdir="${workdir:-$(mktemp -d "${TMPDIR:-/tmp}/segmenta-workflow.XXXXXX")}"
mkdir -p "$workdir"
python="$here/peers/.venv/bin/python"
if ! { [ -x "$python" ] && "$python" -c 'import pyarrow, numpy' 2>/dev/null; }; then
  python3 -m venv "$here/peers/.venv"
  "$python" -m pip install --quiet --retries 0 --timeout 3 pyarrow numpy >&2
fi
segmenta="$root/segmenta"
"$segmenta" --version >/dev/null

log="$workdir/transactions-$transactions.parquet"
plain="$workdir/customers-$customers.parquet"
gaps="$workdir/customers-$customers-gaps.parquet"
after="$workdir/customers-$customers-after.parquet"
[ -f "$log" ] || "$segmenta" generate --transactions "$transactions" --customers $((transactions / 20)) --segments 5 \
    --seed 7 --out "$log" -q
[ -f "$plain" ] || "$segmenta" generate --customers "$customers" --features 8 --segments 8 --seed 7 --out "$plain" -q
[ -f "$gaps" ] || "$python" "$here/peers/gaps.py" "$plain" "$gaps" >&2
[ -f "$after" ] || "$segmenta" generate --customers "$customers" --features 8 --segments 8 --seed 8 --out "$after" -q

measure() {
  local name="$1"; shift
  local stats="$workdir/$name.time"
  /usr/bin/time -f '%e %U %S %M' -o "$stats" "$@" > "$workdir/$name.out" 2> "$workdir/$name.err"
  read -r seconds user system kilobytes < "$stats"
  printf '| %s | %s s | %s s | %d MB |\n' "$name" "$seconds" "$(echo "$user + $system" | bc)" $((kilobytes / 1024))
}

echo "| command | wall time | CPU time (user + system) | peak RSS |"
echo "|---|---|---|---|"
measure rfm "$segmenta" rfm --transactions "$log" --out "$workdir/rfm.parquet" -q
SEGMENTA_JAVA_OPTS=-Xmx256m measure rfm-256m-heap "$segmenta" rfm --transactions "$log" --out "$workdir/rfm.parquet" -q
measure fit-plain "$segmenta" fit -i "$plain" --k 8 --seed 1 --threads "$threads" --model "$workdir/plain.json" -q
measure fit-prepared "$segmenta" fit -i "$gaps" --k 8 --seed 1 --threads "$threads" --impute median --dedup last \
    --log1p annual_spend,avg_basket --model "$workdir/prepared.json" -q
measure predict-prepared "$segmenta" predict -m "$workdir/prepared.json" -i "$gaps" --threads "$threads" \
    -o "$workdir/scored.parquet" -q
measure drift "$segmenta" drift -m "$workdir/plain.json" --before "$plain" --after "$after" --threads "$threads" -q
echo
grep -h "^rfm:\|^prepared:\|^largest" "$workdir"/rfm.out "$workdir"/fit-prepared.out "$workdir"/drift.out
