#!/usr/bin/env bash
# Creates and loads a TPC-H database at scale factor SF, then opens the basalt
# shell on it:
#   scripts/tpch.sh SF [DIR] [basalt flags...]
# Data is generated into DIR (default build/tpch-sfSF) unless DIR already
# holds it for this SF. Flags after DIR go to basalt, so
#   scripts/tpch.sh 0.1 -f bench/tpch/queries/q01.sql --timer
# runs one query and exits instead of opening a prompt. See bench/tpch/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
  echo "usage: scripts/tpch.sh SF [DIR] [basalt flags...]" >&2
  exit 2
fi
sf=$1
shift
dir=build/tpch-sf$sf
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
  dir=$1
  shift
fi
bin=build/basalt
[ -x "$bin" ] || scripts/build.sh
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# .sf records the scale factor of complete data, so an interrupted run or
# another SF regenerates.
if [ "$(cat "$dir/.sf" 2>/dev/null)" != "$sf" ]; then
  rm -f "$dir/.sf"
  "$bin" tpch generate --sf "$sf" --dir "$dir"
  echo "$sf" >"$dir/.sf"
fi

init=$dir/init.sql
{
  cat bench/tpch/schema.sql
  sed "s|@DIR@|$dir|g" bench/tpch/load.sql.in
} >"$init"
exec "$bin" --init "$init" "$@"
