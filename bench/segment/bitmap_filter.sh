#!/usr/bin/env bash
# A selective filter on a string column: one value in a million rows, read
# with the bitmap index of a managed table against a plain scan.
#
#   bench/segment/bitmap_filter.sh [--rows N] [--runs R] [--threads T]
#
# Builds a managed table t(id, s, x, note) of N rows (default 1,000,000) in a
# fresh data directory under build/, where s has 100,000 distinct values and
# the value 'v5needle' (inside every block's zone-map range, so only the
# bitmap can skip blocks) is in exactly one row. Then times, with EXPLAIN
# ANALYZE's execution time, median of R runs (default 7) after one warm-up:
#   bitmap          WHERE s = 'v5needle'            (the bitmap answers it)
#   segment scan    WHERE s || '' = 'v5needle'      (not pushable: reads every block)
#   in memory       WHERE s = 'v5needle' over the same rows in an in-memory table
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rows=1000000
runs=7
threads=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case $1 in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
basalt=$repo/build/basalt
[ -x "$basalt" ] || { echo "build first: scripts/build.sh" >&2; exit 2; }
data_dir=$repo/build/bench-bitmap-data
rm -rf "$data_dir"

create="CREATE TABLE t AS SELECT i AS id,
  CASE WHEN i = $((rows / 2 + 7)) THEN 'v5needle' ELSE 'v' || (i % 100000) END AS s,
  i * 2 AS x, 'note number ' || i || ' of the benchmark table' AS note
  FROM generate_series(1, $rows) AS g(i)"

# Prints the median execution time (ms) of `runs` runs of a query, after one
# warm-up, all in one process so the segment readers stay open.
time_query() {
  local -n storage=$1  # the name of an array of storage flags
  local query=$2 args=()
  for _ in $(seq 0 "$runs"); do args+=(-c "EXPLAIN ANALYZE $query"); done
  "$basalt" --threads "$threads" "${storage[@]}" -c "$create" "${args[@]}" |
    sed -n 's/^ *Execution time: \([0-9.]*\) ms$/\1/p' | tail -n +2 | sort -g |
    awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'
}

filter="SELECT count(*), max(x), max(note) FROM t WHERE"
echo "rows=$rows runs=$runs threads=$threads" >&2
"$basalt" --data-dir "$data_dir" --threads "$threads" -c "$create" >/dev/null
reuse=(--data-dir "$data_dir")
create="SELECT 1"  # the managed table is there already
bitmap=$(time_query reuse "$filter s = 'v5needle'")
scan=$(time_query reuse "$filter s || '' = 'v5needle'")
create="CREATE TABLE t AS SELECT i AS id,
  CASE WHEN i = $((rows / 2 + 7)) THEN 'v5needle' ELSE 'v' || (i % 100000) END AS s,
  i * 2 AS x, 'note number ' || i || ' of the benchmark table' AS note
  FROM generate_series(1, $rows) AS g(i)"
none=()
memory=$(time_query none "$filter s = 'v5needle'")
rm -rf "$data_dir"
awk -v b="$bitmap" -v s="$scan" -v m="$memory" 'BEGIN {
  printf "%-14s %10s %10s\n", "read", "ms", "vs bitmap"
  printf "%-14s %10.3f %10s\n", "bitmap", b, "1.00"
  printf "%-14s %10.3f %10.1f\n", "segment scan", s, s / b
  printf "%-14s %10.3f %10.1f\n", "in memory", m, m / b
}'
