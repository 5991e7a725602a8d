#!/usr/bin/env bash
# TPC-H on Basalt and on DuckDB, same data, same threads; checks that both
# return the same rows and prints a table of median times.
#
#   bench/tpch/run.sh [--sf SF] [--threads N] [--runs R] [--queries 1,3,5]
#                     [--timeout-s S] [--mem-limit-gb G] [--managed]
#                     [--format tbl|parquet]
#
#   --sf SF           scale factor (default 1); data goes to build/tpch-sfSF/ and
#                     is reused when complete (its .sf file, as scripts/tpch.sh)
#   --threads N       worker threads for both engines (default: nproc)
#   --runs R          timed runs per query after one warm-up run (default 5)
#   --queries L       comma-separated query numbers (default 1..22)
#   --timeout-s S     a Basalt run longer than this counts as an error (default 300)
#   --mem-limit-gb G  Basalt's address space limit (default: 3/4 of RAM; 0 = none)
#   --managed         Basalt loads into managed tables (segments in a data
#                     directory, reopened before the queries) and DuckDB into a
#                     database file; prints both sizes against the .tbl files
#   --format F        tbl (default): both engines load the .tbl files into tables
#                     (schema.sql + load.sql); parquet: DuckDB converts the tables
#                     (loaded with schema.sql types) once to build/tpch-sfSF-parquet/
#                     <table>.parquet (zstd, default row groups; reused when its
#                     .complete marker matches), and both engines query views
#                     `CREATE VIEW t AS SELECT * FROM read_parquet('.../t.parquet')`;
#                     results go to build/tpch-results-sfSF-parquet.txt
#
# Prints: query, Basalt median ms, DuckDB median ms, Basalt/DuckDB, rows match
# (yes/no/error), then load times and geometric means; writes the same to
# build/tpch-results-sfSF.txt. Exits 1 if any query's rows differ, 2 if the
# harness itself fails. A query that fails on an engine is an `error` row.
# See bench/tpch/README.md, section "Benchmark".
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
source "$repo/bench/tpch/harness/common.sh"

sf=1
threads=$(nproc 2>/dev/null || echo 2)
runs=5
queries=""
timeout_s=300
managed=0
format=tbl
mem_limit_gb=$(awk '/^MemTotal:/ { printf "%d", $2 * 3 / 4 / 1048576 }' /proc/meminfo 2>/dev/null || echo 0)
usage() { sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --sf) sf=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --timeout-s) timeout_s=$2; shift 2 ;;
    --mem-limit-gb) mem_limit_gb=$2; shift 2 ;;
    --managed) managed=1; shift ;;
    --format) format=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $sf =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--sf wants a number, got $sf" >&2; exit 2; }
[[ $threads =~ ^[0-9]+$ && $runs =~ ^[0-9]+$ ]] || { echo "--threads and --runs want integers" >&2; exit 2; }
case $format in
  tbl|parquet) ;;
  *) echo "--format wants tbl or parquet, got $format" >&2; exit 2 ;;
esac
if [ "$format" = parquet ] && [ "$managed" = 1 ]; then
  echo "--managed loads tables; it does not go with --format parquet" >&2
  exit 2
fi

read -r -a names <<<"$(tpch_query_names "$queries")"
query_files=()
for name in "${names[@]}"; do query_files+=("$tpch_dir/queries/$name.sql"); done
tpch_require_files "$tpch_dir/schema.sql" "$tpch_dir/load.sql.in" "${query_files[@]}"

build=$repo/build
if [ ! -f "$build/build.ninja" ]; then
  "$repo/scripts/build.sh"
fi
# BASALT_TPCH_RUNNER names a runner built some other way.
runner=${BASALT_TPCH_RUNNER:-$build/basalt_tpch_runner}
targets=(basalt)
[ -z "${BASALT_TPCH_RUNNER:-}" ] && targets+=(basalt_tpch_runner)
ninja -C "$build" -j2 "${targets[@]}" >&2 || {
  echo "could not build ${targets[*]}: is add_subdirectory(bench) in CMakeLists.txt?" >&2
  exit 2
}
tpch_require_duckdb

data_dir=$build/tpch-sf$sf
suffix=""
[ "$format" = parquet ] && suffix=-parquet
work=$build/tpch-run-sf$sf$suffix
results=$build/tpch-results-sf$sf$suffix.txt
tpch_generate "$build/basalt" "$sf" "$data_dir"
rm -rf "$work"
mkdir -p "$work"
tpch_load_sql "$data_dir" "$work/load.sql"
setup=(--setup "$tpch_dir/schema.sql" --setup "$work/load.sql")
format_line=""
if [ "$format" = parquet ]; then
  # DuckDB writes the Parquet files once per SF and codec; .complete records
  # both and is written after the last file, so an interrupted run converts
  # again.
  parquet_dir=$build/tpch-sf$sf-parquet
  parquet_codec=zstd
  marker="sf=$sf codec=$parquet_codec"
  if [ "$(cat "$parquet_dir/.complete" 2>/dev/null)" = "$marker" ]; then
    echo "reusing TPC-H SF $sf Parquet files in $parquet_dir" >&2
  else
    echo "== DuckDB: writing TPC-H SF $sf as Parquet ($parquet_codec) into $parquet_dir" >&2
    rm -rf "$parquet_dir"
    node "$harness_dir/make_parquet.mjs" --schema "$tpch_dir/schema.sql" --load "$work/load.sql" \
      --out "$parquet_dir" --threads "$threads" --codec "$parquet_codec" --marker "$marker" || {
      echo "could not write the Parquet files" >&2
      exit 2
    }
  fi
  {
    echo "-- Written by bench/tpch/run.sh --format parquet: the TPC-H tables as views over Parquet files."
    for f in "$parquet_dir"/*.parquet; do
      echo "CREATE VIEW $(basename "$f" .parquet) AS SELECT * FROM read_parquet('$f');"
    done
  } >"$work/views.sql"
  setup=(--setup "$work/views.sql")
  parquet_bytes=$(cat "$parquet_dir"/*.parquet | wc -c)
  format_line="queried from Parquet files written by DuckDB ($parquet_codec, $(awk -v b="$parquet_bytes" 'BEGIN { printf "%.1f MB", b / 1e6 }')), as views over read_parquet
"
fi

duckdb_storage=()
basalt_storage=()
if [ "$managed" = 1 ]; then
  duckdb_storage=(--database "$work/duckdb.db")
  basalt_storage=(--data-dir "$work/basalt-data")
fi

echo "== DuckDB: SF $sf, $threads threads, $runs runs" >&2
node "$harness_dir/duckdb_runner.mjs" --threads "$threads" --runs "$runs" "${setup[@]}" \
  "${duckdb_storage[@]}" --out "$work/duckdb" "${query_files[@]}"

echo "== Basalt: SF $sf, $threads threads, $runs runs" >&2
tpch_run_basalt "$runner" "$work/basalt" "$timeout_s" "$mem_limit_gb" -- \
  --threads "$threads" --runs "$runs" "${basalt_storage[@]}" "${setup[@]}" -- "${query_files[@]}"

duckdb_version=$(grep $'^@version\t' "$work/duckdb/timings.tsv" | cut -f5 | tail -n 1)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')
storage_line=""
if [ "$managed" = 1 ]; then
  tbl_bytes=$(cat "$data_dir"/*.tbl | wc -c)
  basalt_bytes=$(du -sb "$work/basalt-data/warehouse" | cut -f1)
  duckdb_bytes=$(stat -c %s "$work/duckdb.db")
  storage_line=$(awk -v t="$tbl_bytes" -v b="$basalt_bytes" -v d="$duckdb_bytes" 'BEGIN {
    printf "managed tables: Basalt warehouse %.1f MB (%.1f%% of the .tbl files, %.2fx DuckDB'"'"'s file), DuckDB file %.1f MB, .tbl files %.1f MB\n",
      b / 1e6, 100 * b / t, b / d, d / 1e6, t / 1e6 }')
fi
title="TPC-H SF $sf, $threads threads, median of $runs runs after 1 warm-up, in ms
$("$build/basalt" --version) vs DuckDB $duckdb_version; $(nproc) cores${cpu:+ ($cpu)}
${format_line}${storage_line}"
status=0
python3 "$harness_dir/compare.py" report --basalt "$work/basalt" --duckdb "$work/duckdb" \
  --sql-dir "$tpch_dir/queries" --queries "$(IFS=,; echo "${names[*]}")" \
  --title "$title" --out "$results" || status=$?
echo "written to ${results#"$repo"/}; rows of each engine in ${work#"$repo"/}/" >&2
exit "$status"
