#!/usr/bin/env bash
# Out-of-core k-means on a file at least 4x the JVM heap, against the in-memory fit of the same file.
#
#   bench/out_of_core.sh [--customers N] [--features D] [--k K] [--segments S] [--heap SIZE] [--threads T] [--workdir DIR]
#
# Defaults: 27,000,000 customers x 8 features in k true segments (an Arrow IPC file of about 1.2 GB),
# k = 8, a 256 MB heap for the out-of-core fit (-Xmx256m), 2 threads. The in-memory fit of the same
# file runs with a heap large enough to hold it (-Xmx6g). Both use seed 1 and the default 3 restarts;
# the out-of-core fit seeds them on its 100,000-customer sample. Prints the file and heap sizes, each
# fit's summary line and peak resident memory (GNU time), and the relative inertia difference, and
# exits 1 if the file is smaller than 4x the heap or the inertias differ by more than 1%. Fewer true
# segments than k (--segments) make a harder problem: Lloyd iterates, and local optima may differ.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
customers=27000000 features=8 k=8 segments="" heap=256m threads=2 workdir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers="$2"; shift 2 ;;
    --features) features="$2"; shift 2 ;;
    --k) k="$2"; shift 2 ;;
    --segments) segments="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "out_of_core.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
segments="${segments:-$k}"
workdir="${workdir:-$(mktemp -d "${TMPDIR:-/tmp}/segmenta-ooc.XXXXXX")}"
mkdir -p "$workdir"
data="$workdir/customers-${customers}x${features}-t${segments}.arrow"
if [ ! -f "$data" ]; then
  echo "out_of_core.sh: generating $data" >&2
  "$root/segmenta" generate --customers "$customers" --features "$features" --segments "$segments" --seed 5 \
      --out "$data" --quiet >&2
fi

bytes() { numfmt --from=iec "$(echo "$1" | tr 'a-z' 'A-Z' | sed 's/B$//')"; }
file_bytes=$(stat -c %s "$data")
heap_bytes=$(bytes "$heap")
echo "file $data: $file_bytes bytes; out-of-core heap -Xmx$heap = $heap_bytes bytes ($(awk -v f="$file_bytes" -v h="$heap_bytes" 'BEGIN { printf "%.1f", f / h }')x)"

fit() {
  local opts="$1"; shift
  SEGMENTA_JAVA_OPTS="$opts" /usr/bin/time -f "peak resident memory %M KB, wall %e s" \
      "$root/segmenta" fit -i "$data" --k "$k" --seed 1 --threads "$threads" --quiet "$@" 2>&1 \
      | grep -E '^(kmeans|peak)'
}
echo "out of core (-Xmx$heap):"
fit "-Xmx$heap" --out-of-core --model "$workdir/out-of-core.json"
echo "in memory (-Xmx6g):"
fit "-Xmx6g" --model "$workdir/in-memory.json"

python3 - "$workdir/out-of-core.json" "$workdir/in-memory.json" "$file_bytes" "$heap_bytes" <<'PY'
import json, sys
streamed = json.load(open(sys.argv[1]))["inertia"]
loaded = json.load(open(sys.argv[2]))["inertia"]
ratio = int(sys.argv[3]) / int(sys.argv[4])
diff = (streamed - loaded) / loaded
print(f"inertia out of core {streamed:.6g}, in memory {loaded:.6g}: relative difference {diff:+.2e}")
ok = ratio >= 4 and abs(diff) <= 0.01
print("PASS" if ok else "FAIL", f"(file {ratio:.1f}x the heap; need >= 4x and |difference| <= 1%)")
sys.exit(0 if ok else 1)
PY
