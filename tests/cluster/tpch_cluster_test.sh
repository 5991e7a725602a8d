#!/usr/bin/env bash
# The cluster_tpch_sf001_answers test: TPC-H SF 0.01 as Parquet files, queried
# through the coordinator of a local cluster whose executors run the plans,
# against the stored answers (tests/tpch/answers, from DuckDB).
#   tests/cluster/tpch_cluster_test.sh BASALT RUNNER [EXECUTORS]
# Then loads the 8 tables into managed tables through the coordinator and runs
# the 22 queries again over them (executors read the segments from the
# shared warehouse through their segment caches).
# Exits 0 when every query returns the stored answer and every one ran on
# the executors, in both phases; the cluster is stopped whatever happens.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/bench/tpch/harness/common.sh"

basalt=$1
runner=$2
executors=${3:-3}
read -r -a names <<<"$(tpch_query_names "")"
query_files=()
for name in "${names[@]}"; do query_files+=("$tpch_dir/queries/$name.sql"); done

work=$(mktemp -d)
cleanup() {
  "$basalt" cluster stop --dir "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

tpch_generate "$basalt" 0.01 "$work/data"
tpch_load_sql "$work/data" "$work/load.sql"
tables=(nation region part supplier partsupp customer orders lineitem)
mkdir -p "$work/parquet"
{
  cat "$tpch_dir/schema.sql" "$work/load.sql"
  for t in "${tables[@]}"; do
    echo "COPY $t TO '$work/parquet/$t.parquet' (FORMAT parquet);"
  done
} | "$basalt" -f - >/dev/null
for t in "${tables[@]}"; do
  echo "CREATE VIEW $t AS SELECT * FROM read_parquet('$work/parquet/$t.parquet');"
done >"$work/views.sql"

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$basalt" cluster start --dir "$work/cluster" --executors "$executors" --port "$port" --threads 1
tpch_run_basalt "$runner" "$work/out" 120 8 -- --host 127.0.0.1 --port "$port" --runs 0 \
  --setup "$work/views.sql" -- "${query_files[@]}"
status=0
python3 "$harness_dir/compare.py" check --actual "$work/out" \
  --expected "$repo/tests/tpch/answers" --sql-dir "$tpch_dir/queries" \
  --queries "$(IFS=,; echo "${names[*]}")" || status=1
# Every query's plan went to the executors (the coordinator logs each one).
placed=$(grep -c "placed on $executors executors" "$work/cluster/nodes/coordinator.log" || true)
echo "queries placed on the executors: $placed" >&2
if [ "$placed" -lt "${#names[@]}" ]; then
  echo "expected at least ${#names[@]} queries placed on the executors" >&2
  status=1
fi

# Phase 2: the same tables as managed tables of the coordinator (segments in
# its warehouse), loaded through the coordinator; the executors read the
# segments through their segment caches.
for t in "${tables[@]}"; do
  echo "DROP VIEW IF EXISTS $t;"
  echo "CREATE TABLE $t AS SELECT * FROM read_parquet('$work/parquet/$t.parquet');"
done >"$work/tables.sql"
"$basalt" --host 127.0.0.1 --port "$port" -f "$work/tables.sql" >/dev/null
before=$(grep -c "placed on $executors executors" "$work/cluster/nodes/coordinator.log" || true)
tpch_run_basalt "$runner" "$work/out_managed" 120 8 -- --host 127.0.0.1 --port "$port" --runs 0 \
  -- "${query_files[@]}"
python3 "$harness_dir/compare.py" check --actual "$work/out_managed" \
  --expected "$repo/tests/tpch/answers" --sql-dir "$tpch_dir/queries" \
  --queries "$(IFS=,; echo "${names[*]}")" || status=1
after=$(grep -c "placed on $executors executors" "$work/cluster/nodes/coordinator.log" || true)
echo "queries over managed tables placed on the executors: $((after - before))" >&2
if [ $((after - before)) -lt "${#names[@]}" ]; then
  echo "expected at least ${#names[@]} queries over managed tables placed on the executors" >&2
  status=1
fi
# The executors read the segments through their caches.
cached=$(find "$work/cluster" -path '*/cache/*' -name data.bsg | wc -l)
echo "segment files in the executors' caches: $cached" >&2
if [ "$cached" -lt "${#tables[@]}" ]; then
  echo "expected the executors' caches to hold the tables' segments" >&2
  status=1
fi
exit $status
