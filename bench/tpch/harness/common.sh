# Shell functions shared by bench/tpch/run.sh, bench/tpch/make_answers.sh and
# tests/tpch/tpch_answers_test.sh. Source it after setting `repo` to the
# repository root; it uses bash arrays and expects `set -euo pipefail`.

tpch_dir="${repo:?set repo to the repository root before sourcing common.sh}/bench/tpch"
harness_dir="$tpch_dir/harness"

# Prints "q01 q02 ... q22", or the given comma list ("1,3,q05") as names.
tpch_query_names() {
  local list=${1:-}
  if [ -z "$list" ]; then
    list=$(seq -s, 1 22)
  fi
  local names=() item
  IFS=, read -r -a items <<<"$list"
  for item in "${items[@]}"; do
    item=${item#[qQ]}
    [[ $item =~ ^[0-9]+$ ]] || { echo "not a query number: $item" >&2; return 2; }
    names+=("$(printf 'q%02d' "$((10#$item))")")
  done
  echo "${names[@]}"
}

# Fails with a clear message when a file of bench/tpch is missing.
tpch_require_files() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || { echo "missing $f" >&2; return 2; }
  done
}

# tpch_generate BASALT SF DIR: writes DIR/<table>.tbl with `basalt tpch
# generate`, unless DIR already holds complete data for SF. DIR/.sf records
# the SF of complete data, as scripts/tpch.sh does, so the two share
# build/tpch-sfSF and an interrupted run generates again.
tpch_generate() {
  local basalt=$1 sf=$2 dir=$3
  if [ "$(cat "$dir/.sf" 2>/dev/null)" = "$sf" ]; then
    echo "reusing TPC-H SF $sf data in $dir" >&2
    return 0
  fi
  echo "generating TPC-H SF $sf into $dir" >&2
  mkdir -p "$dir"
  rm -f "$dir/.sf"
  "$basalt" tpch generate --sf "$sf" --dir "$dir"
  echo "$sf" >"$dir/.sf"
}

# tpch_load_sql DATA_DIR OUT_FILE: load.sql.in with @DIR@ set to DATA_DIR
# (absolute). The same file loads both engines.
tpch_load_sql() {
  local data_dir out=$2
  data_dir=$(cd "$1" && pwd)
  sed "s|@DIR@|$data_dir|g" "$tpch_dir/load.sql.in" >"$out"
}

# Installs @duckdb/node-api into bench/tpch/harness/node_modules when it is
# not there (scripts/setup.sh does the same).
tpch_require_duckdb() {
  if [ -d "$harness_dir/node_modules/@duckdb/node-api" ]; then
    return 0
  fi
  command -v npm >/dev/null || {
    echo "DuckDB comes from npm (@duckdb/node-api), but npm is not installed" >&2
    return 2
  }
  echo "installing @duckdb/node-api into $harness_dir/node_modules" >&2
  npm install --prefix "$harness_dir" --no-audit --no-fund --loglevel=error >&2
}

# tpch_run_basalt RUNNER OUT_DIR TIMEOUT_S MEM_LIMIT_GB -- RUNNER_ARGS... --
#                 QUERY_FILES...
# Runs basalt_tpch_runner on the query files. When the runner dies on a query
# (a crash, or exit 3 after --timeout-s), that query is recorded as `crash`
# (the timeout is already recorded) and a new runner, which loads again,
# carries on with the queries left. The runner's address space is limited to
# MEM_LIMIT_GB (ulimit -v; 0 = no limit), so a query that runs away fails
# with an allocation error instead of waking the kernel's OOM killer on a
# machine others share.
tpch_run_basalt() {
  local runner=$1 out=$2 timeout_s=$3 mem_limit_gb=$4
  shift 4
  [ "$1" = -- ] && shift
  local args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    args+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  local remaining=("$@") rc left f name loads
  mkdir -p "$out"
  touch "$out/timings.tsv"
  while [ ${#remaining[@]} -gt 0 ]; do
    loads=$(grep -c $'^@load\tok' "$out/timings.tsv" || true)
    rc=0
    (
      [ "$mem_limit_gb" != 0 ] && ulimit -v $((mem_limit_gb * 1024 * 1024))
      exec "$runner" "${args[@]}" --timeout-s "$timeout_s" --out "$out" "${remaining[@]}"
    ) || rc=$?
    if [ "$(grep -c $'^@load\tok' "$out/timings.tsv" || true)" -le "$loads" ]; then
      echo "Basalt could not load the data (runner status $rc); see above" >&2
      return 2
    fi
    left=()
    for f in "${remaining[@]}"; do
      name=$(basename "$f" .sql)
      grep -q "^$name"$'\t' "$out/timings.tsv" 2>/dev/null || left+=("$f")
    done
    if [ ${#left[@]} -gt 0 ] && [ ${#left[@]} -eq ${#remaining[@]} ] && [ "$rc" = 0 ]; then
      echo "basalt_tpch_runner exited without running anything" >&2
      return 2
    fi
    if [ ${#left[@]} -gt 0 ] && [ "$rc" != 3 ]; then
      name=$(basename "${left[0]}" .sql)
      local why="runner exited with status $rc"
      [ "$rc" -gt 128 ] && why="runner killed by signal $((rc - 128))"
      printf '%s\tcrash\t\t\t%s\n' "$name" "$why" >>"$out/timings.tsv"
      echo "$name: basalt_tpch_runner died (status $rc); restarting for the rest" >&2
      left=("${left[@]:1}")
    fi
    remaining=("${left[@]}")
  done
}
