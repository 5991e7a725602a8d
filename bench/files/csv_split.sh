#!/usr/bin/env bash
# How much splitting one large CSV file across threads helps (docs/storage.md,
# "Splitting large files"): writes a CSV of about 200 MB with Basalt's own
# COPY ... TO (one quoted text column holding commas and doubled quotes, so the
# quote-parity pass has work), then times
#   SELECT count(*), sum(id), sum(amount), max(length(note)) FROM read_csv(file)
# on Basalt with --threads 1 and 2 (median of RUNS runs, in one process each,
# after one warm-up), on 2 threads with splitting off (the file is then one
# unit of work), and on DuckDB's read_csv with threads 1 and 2, and prints the
# times and the ratios. The file is reused while it exists. On a machine where
# other work holds a core, the 2-thread figures mean little (DuckDB's show it).
#
#   bench/files/csv_split.sh [ROWS] [RUNS]     (default 4000000 rows, 5 runs)
#
# Needs build/basalt; DuckDB from bench/tpch/harness/node_modules
# (scripts/setup.sh), else only Basalt is timed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
rows=${1:-4000000}
runs=${2:-5}
bin=$repo/build/basalt
[ -x "$bin" ] || { echo "build/basalt is missing: run scripts/build.sh" >&2; exit 2; }
csv=$repo/build/bench-files/split_${rows}.csv
mkdir -p "$(dirname "$csv")"
if [ ! -s "$csv" ]; then
  echo "writing $csv" >&2
  "$bin" --threads 2 -c "COPY (SELECT range AS id, range % 1000 AS k, (range % 9973) * 0.25 AS amount,
      'note, \"' || (range % 97) || '\" about ' || (range * 7919 % 100003) || repeat('x', CAST(range % 23 AS INTEGER)) AS note,
      DATE '2020-01-01' + CAST(range % 1500 AS INTEGER) AS day
    FROM range($rows)) TO '$csv.tmp' (FORMAT csv, HEADER)" >/dev/null
  mv "$csv.tmp" "$csv"
fi
size_mb=$(( $(stat -c %s "$csv") / 1048576 ))
query="SELECT count(*), sum(id), sum(amount), max(length(note)) FROM read_csv('$csv')"

basalt_ms() {  # threads [file_split_size] -> median ms of $runs runs after a warm-up, first row
  local script out median
  script=$(mktemp)
  echo "SET file_split_size = '${2:-auto}';" >"$script"
  for _ in $(seq 0 "$runs"); do echo "$query;" >>"$script"; done
  out=$("$bin" --threads "$1" --format csv --timer -f "$script" 2>&1)
  rm -f "$script"
  median=$(grep -o 'Time: [0-9.]*' <<<"$out" | tail -n +3 | awk '{ print $2 }' | sort -n |
    awk -v runs="$runs" 'NR == int((runs + 1) / 2) { print }')
  echo "$median $(grep -m1 '^[0-9]' <<<"$out" | sed 's/Time:.*//')"
}

echo "file: $csv ($size_mb MB, $rows rows), $runs runs each, median ms" >&2
read -r b1 b1_row < <(basalt_ms 1)
read -r b2 b2_row < <(basalt_ms 2)
read -r b2_whole _ < <(basalt_ms 2 0)
printf 'basalt  threads=1 %8.1f ms   threads=2 %8.1f ms   speed-up %.2fx\n' "$b1" "$b2" \
  "$(awk -v a="$b1" -v b="$b2" 'BEGIN { print a / b }')"
printf 'basalt  threads=2 without splitting (file_split_size = 0) %8.1f ms\n' "$b2_whole"
node_modules=${DUCKDB_NODE_MODULES:-$repo/bench/tpch/harness/node_modules}
if command -v node >/dev/null && [ -d "$node_modules/@duckdb/node-api" ]; then
  dq="SELECT count(*), sum(id), sum(amount), max(length(note)) FROM read_csv('$csv')"
  read -r d1 d1_row < <(node "$repo/bench/files/duckdb_time_query.mjs" 1 "$runs" "$dq")
  read -r d2 d2_row < <(node "$repo/bench/files/duckdb_time_query.mjs" 2 "$runs" "$dq")
  printf 'duckdb  threads=1 %8.1f ms   threads=2 %8.1f ms   speed-up %.2fx\n' "$d1" "$d2" \
    "$(awk -v a="$d1" -v b="$d2" 'BEGIN { print a / b }')"
  printf 'basalt/duckdb      threads=1 %.2fx   threads=2 %.2fx   (above 1: Basalt slower)\n' \
    "$(awk -v a="$b1" -v b="$d1" 'BEGIN { print a / b }')" "$(awk -v a="$b2" -v b="$d2" 'BEGIN { print a / b }')"
  echo "rows: basalt $b2_row | duckdb $d2_row" >&2
else
  echo "DuckDB not installed (scripts/setup.sh): only Basalt timed" >&2
fi
