#!/usr/bin/env bash
# Shows that a GROUP BY over 10 million generated rows keeps every core busy:
# runs it REPEAT times after loading the rows once and prints the wall time,
# CPU time and the average number of busy cores.
#   [THREADS=N] bench/parallel_group_by.sh [ROWS] [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
repeat=${2:-50}
bin=build/basalt
threads=${THREADS:-0}  # 0 = one per core
[ -x "$bin" ] || scripts/build.sh
script=$(mktemp)
trap 'rm -f "$script"' EXIT
echo "CREATE TABLE t AS SELECT range AS id, range % 1000 AS g, (range * 7) % 101 AS v FROM range($rows);" >"$script"
load_only=$(mktemp)
cp "$script" "$load_only"
for _ in $(seq "$repeat"); do
  echo "SELECT g, count(*), sum(v), min(id) FROM t GROUP BY g ORDER BY g LIMIT 1;" >>"$script"
done
measure() {  # prints "wall cpu" in seconds
  /usr/bin/time -f "%e %U %S" "$bin" --threads "$threads" --format csv -f "$1" 2>&1 >/dev/null | tail -1 |
    awk '{printf "%s %.2f\n", $1, $2 + $3}'
}
read -r load_wall load_cpu < <(measure "$load_only")
read -r all_wall all_cpu < <(measure "$script")
rm -f "$load_only"
awk -v w="$all_wall" -v c="$all_cpu" -v lw="$load_wall" -v lc="$load_cpu" -v n="$repeat" \
  -v rows="$rows" -v cores="$(nproc)" 'BEGIN {
    gw = w - lw; gc = c - lc;
    printf "GROUP BY over %d rows, %d runs: %.1f ms per query, %.2f cores busy on average (of %d)\n",
           rows, n, 1000 * gw / n, gc / gw, cores }'
