#!/usr/bin/env bash
# Scale-out: TPC-H from Parquet files through a local cluster's coordinator,
# with 1 executor pinned to one core against 2 executors pinned to one core
# each (`basalt cluster start --pin`), on the same files. Prints each query's
# median time with 1 and 2 executors, the speed-up, and the geometric mean.
#
#   bench/cluster/scale_out.sh [--sf 1] [--runs 3] [--queries 1,3,6]
#
# The Parquet files are build/tpch-sfSF-parquet/<table>.parquet, which
# bench/tpch/run.sh --format parquet writes (with DuckDB) and this script
# makes the same way when they are missing. The coordinator is not pinned.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/bench/tpch/harness/common.sh"
build=$repo/build
basalt=$build/basalt
runner=$build/basalt_tpch_runner

sf=1
runs=3
queries=""
while [ $# -gt 0 ]; do
  case $1 in
    --sf) sf=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    *) echo "usage: $0 [--sf 1] [--runs 3] [--queries 1,3,6]" >&2; exit 2 ;;
  esac
done
read -r -a names <<<"$(tpch_query_names "$queries")"
query_files=()
for name in "${names[@]}"; do query_files+=("$tpch_dir/queries/$name.sql"); done

parquet_dir=$build/tpch-sf$sf-parquet
if [ ! -f "$parquet_dir/.complete" ]; then
  echo "no Parquet files in $parquet_dir: writing them with bench/tpch/run.sh" >&2
  "$repo/bench/tpch/run.sh" --sf "$sf" --format parquet --runs 0 --queries 1 >/dev/null
fi

work=$(mktemp -d)
cleanup() {
  for d in "$work"/cluster*; do "$basalt" cluster stop --dir "$d" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for t in nation region part supplier partsupp customer orders lineitem; do
  echo "CREATE VIEW $t AS SELECT * FROM read_parquet('$parquet_dir/$t.parquet');"
done >"$work/views.sql"

for executors in 1 2; do
  port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cluster=$work/cluster$executors
  "$basalt" cluster start --dir "$cluster" --executors "$executors" --port "$port" \
    --threads 1 --pin >&2
  "$runner" --host 127.0.0.1 --port "$port" --warmup 1 --runs "$runs" \
    --setup "$work/views.sql" --out "$work/out$executors" "${query_files[@]}" >&2
  placed=$(grep -c "placed on $executors executors" "$cluster/nodes/coordinator.log" || true)
  echo "$executors executor(s): $placed query runs placed on the executors" >&2
  "$basalt" cluster stop --dir "$cluster" >&2
done

/usr/bin/python3 - "$work/out1/timings.tsv" "$work/out2/timings.tsv" "$sf" <<'PY'
import math, statistics, sys

def medians(path):
    out = {}
    for line in open(path):
        fields = line.rstrip("\n").split("\t")
        if fields[0].startswith("@") or fields[1] != "ok":
            continue
        out[fields[0]] = statistics.median(float(t) for t in fields[2].split(","))
    return out

one, two, sf = medians(sys.argv[1]), medians(sys.argv[2]), sys.argv[3]
print(f"TPC-H SF {sf} from Parquet, 1 vs 2 executors pinned to one core each")
print(f"{'query':<6} {'1 exec ms':>10} {'2 exec ms':>10} {'speed-up':>9}")
ratios = []
for q in sorted(one):
    if q not in two:
        print(f"{q:<6} {one[q]:>10.1f} {'error':>10}")
        continue
    ratios.append(one[q] / two[q])
    print(f"{q:<6} {one[q]:>10.1f} {two[q]:>10.1f} {ratios[-1]:>9.2f}")
if ratios:
    g1 = math.exp(sum(math.log(one[q]) for q in one if q in two) / len(ratios))
    g2 = math.exp(sum(math.log(two[q]) for q in one if q in two) / len(ratios))
    print(f"{'geomean':<6} {g1:>10.1f} {g2:>10.1f} {g1 / g2:>9.2f}")
PY
