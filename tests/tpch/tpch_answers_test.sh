#!/usr/bin/env bash
# The tpch_sf001_answers test (see CMakeLists.txt beside this file).
#   tests/tpch/tpch_answers_test.sh BASALT RUNNER [--managed] [--queries 1,3,5]
# --managed loads into managed tables in a data directory (reopened before
# the queries run).
# Exits 0 when every query returns the stored answer, 1 otherwise.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/bench/tpch/harness/common.sh"

basalt=$1
runner=$2
shift 2
queries=""
managed=()
if [ "${1:-}" = --managed ]; then
  managed=(--data-dir)
  shift
fi
[ "${1:-}" = --queries ] && queries=$2
read -r -a names <<<"$(tpch_query_names "$queries")"
query_files=()
for name in "${names[@]}"; do query_files+=("$tpch_dir/queries/$name.sql"); done
tpch_require_files "$tpch_dir/schema.sql" "$tpch_dir/load.sql.in" "${query_files[@]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tpch_generate "$basalt" 0.01 "$work/data"
tpch_load_sql "$work/data" "$work/load.sql"
[ ${#managed[@]} -gt 0 ] && managed+=("$work/data-dir")
tpch_run_basalt "$runner" "$work/basalt" 120 8 -- --threads 2 --runs 0 "${managed[@]}" \
  --setup "$tpch_dir/schema.sql" --setup "$work/load.sql" -- "${query_files[@]}"
python3 "$harness_dir/compare.py" check --actual "$work/basalt" \
  --expected "$repo/tests/tpch/answers" --sql-dir "$tpch_dir/queries" \
  --queries "$(IFS=,; echo "${names[*]}")"
