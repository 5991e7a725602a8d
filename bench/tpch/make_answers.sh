#!/usr/bin/env bash
# Writes tests/tpch/answers/qNN.csv: the rows DuckDB returns for the 22 TPC-H
# queries on SF 0.01 data from `basalt tpch generate`. Run it again when the
# generator, schema.sql or a query changes, and commit the answers.
#
#   bench/tpch/make_answers.sh [--queries 1,3,5]
#
# The answers keep the runners' form: a CSV header of `name:TYPE` fields
# (DuckDB's types), then the rows; NULL is an empty field.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/bench/tpch/harness/common.sh"

sf=0.01
queries=""
while [ $# -gt 0 ]; do
  case $1 in
    --queries) queries=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
read -r -a names <<<"$(tpch_query_names "$queries")"
query_files=()
for name in "${names[@]}"; do query_files+=("$tpch_dir/queries/$name.sql"); done
tpch_require_files "$tpch_dir/schema.sql" "$tpch_dir/load.sql.in" "${query_files[@]}"

build=$repo/build
ninja -C "$build" -j2 basalt >&2
tpch_require_duckdb

# Always fresh data (a new directory): the answers must match what the
# generator writes now.
data_dir=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$data_dir" "$work"' EXIT
tpch_generate "$build/basalt" "$sf" "$data_dir"
tpch_load_sql "$data_dir" "$work/load.sql"
node "$harness_dir/duckdb_runner.mjs" --threads 2 --runs 0 --setup "$tpch_dir/schema.sql" \
  --setup "$work/load.sql" --out "$work/duckdb" "${query_files[@]}"

answers=$repo/tests/tpch/answers
mkdir -p "$answers"
failed=0
for name in "${names[@]}"; do
  if grep -q "^$name"$'\tok\t' "$work/duckdb/timings.tsv"; then
    cp "$work/duckdb/$name.csv" "$answers/$name.csv"
  else
    echo "DuckDB failed on $name: $(grep "^$name"$'\t' "$work/duckdb/timings.tsv" | cut -f5)" >&2
    failed=1
  fi
done
echo "answers in ${answers#"$repo"/}/" >&2
exit "$failed"
