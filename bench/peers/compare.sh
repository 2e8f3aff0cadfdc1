#!/usr/bin/env bash
# Segmenta side by side with scikit-learn, FAISS, Smile, Spark MLlib and ELKI on one generated file, in one run:
# the same z-scored data, the same k-means++ initial centroids given to every engine, the same number of
# Lloyd iterations (no tolerance), the same threads. Prints ms per iteration, time ratios, inertia and ARI
# agreement with Segmenta. compare.py's docstring says exactly how each engine is run and timed.
#
#   bench/peers/compare.sh [--customers N] [--features D] [--k K] [--segments S] [--seed S] [--threads T]
#                          [--iterations I] [--repeat R] [--peers segmenta,sklearn,faiss,smile,spark,elki]
#                          [--workdir DIR] [--json FILE] [--plot FILE.png]
#   bench/peers/compare.sh --targets [--repeat R] [--plot FILE.png]   # the issue's three shapes and its table
#   bench/peers/compare.sh --fit [--customers N] [--features D] [--k K] [--segments S] [--threads T] [--repeat R]
#       whole fits instead: `segmenta fit` against scikit-learn's KMeans(n_init=1), each seeding itself (fit_compare.py)
#   bench/peers/compare.sh --e2e [--sizes 1000000,10000000] [--read-sizes parquet=N,arrow=N,csv=N] [--repeat R]
#       the whole job, file in and segments out, against pyarrow + scikit-learn and pyarrow + FAISS scripts;
#       reading per format against pyarrow; start-up; output size against pyarrow's writer (e2e_compare.py)
#
# Defaults: 1,000,000 customers x 8 features, k=8, 3 true segments, seed 1, 2 threads, 20 iterations, all peers
# (--fit: 8 true segments, 3 runs each).
# Set-up is done here, once: bench/peers/.venv (scikit-learn, faiss-cpu, pyarrow, threadpoolctl, matplotlib)
# and the JVM peer runners (./mvnw -Ppeers -pl bench/peers/jvm -am package: Segmenta, Smile, Spark MLlib, ELKI).
# Smile (GPL-3.0), ELKI (AGPL-3.0) and Spark stay in that profile-only module, out of the default build and of Segmenta's jars.
# Generated files are kept in --workdir (default /tmp/segmenta-peers) and reused by later runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

case "${1:-}" in
  -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
script="$here/compare.py"
args=()
has_workdir=false
for a in "$@"; do
  case "$a" in
    --fit) script="$here/fit_compare.py" ;;
    --e2e) script="$here/e2e_compare.py" ;;
    --workdir) has_workdir=true; args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
if ! $has_workdir; then
  args+=(--workdir "${TMPDIR:-/tmp}/segmenta-peers")
fi

venv="$here/.venv"
python="$venv/bin/python"
if ! { [ -x "$python" ] && "$python" -c 'import sklearn, pyarrow, threadpoolctl, faiss' 2>/dev/null; }; then
  echo "compare.sh: setting up $venv (scikit-learn, faiss-cpu, pyarrow, threadpoolctl, matplotlib)..." >&2
  python3 -m venv "$venv"
  # --retries 0 --timeout 3: where only a local wheel index is reachable, do not wait on pypi.org.
  "$python" -m pip install --quiet --retries 0 --timeout 3 scikit-learn pyarrow threadpoolctl matplotlib >&2
  if ! "$python" -m pip install --quiet --retries 0 --timeout 3 faiss-cpu >&2; then
    echo "compare.sh: faiss-cpu did not install; FAISS will be skipped" >&2
  fi
fi

jvm="$here/jvm/target"
if [ "$script" = "$here/compare.py" ] && { [ ! -f "$jvm/classpath.txt" ] || [ -n "$(find "$here/jvm" "$root/kernels" "$root/io" "$root/engine" \
      \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jvm/classpath.txt" -print -quit 2>/dev/null)" ]; }; then
  echo "compare.sh: building the JVM peer runners (Segmenta, Smile, Spark MLlib, ELKI)..." >&2
  (cd "$root" && ./mvnw -B -q -Ppeers -pl bench/peers/jvm -am package -DskipTests >&2)
fi

exec "$python" "$script" "${args[@]}"
