# Shell functions shared by bench/tpch/run.sh, bench/tpch/make_answers.sh and
# tests/tpch/tpch_answers_test.sh. Source it after setting `repo` to the
# repository root; it uses bash arrays and expects `set -euo pipefail`.

tpch_dir="$repo/bench/tpch"
harness_dir="$tpch_dir/harness"
tpch_tables=(region nation supplier customer part partsupp orders lineitem)

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

# Waits for nothing: fails with a clear message when a file another part of
# the project provides is not there yet.
tpch_require_files() {
  local f
  for f in "$@"; do
    [ -f "$f" ] || { echo "missing $f" >&2; return 2; }
  done
}

# tpch_generate BASALT SF DIR: writes DIR/<table>.tbl with `basalt tpch
# generate`, unless DIR already holds all eight tables (a finished earlier
# run: generation goes to DIR.partial and is renamed when complete).
tpch_generate() {
  local basalt=$1 sf=$2 dir=$3 t complete=1
  for t in "${tpch_tables[@]}"; do
    [ -f "$dir/$t.tbl" ] || complete=0
  done
  if [ "$complete" = 1 ]; then
    echo "reusing TPC-H SF $sf data in $dir" >&2
    return 0
  fi
  echo "generating TPC-H SF $sf into $dir" >&2
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  "$basalt" tpch generate --sf "$sf" --dir "$dir.partial"
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
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

# tpch_run_basalt RUNNER OUT_DIR TIMEOUT_S -- RUNNER_ARGS... -- QUERY_FILES...
# Runs basalt_tpch_runner on the query files. When the runner dies on a query
# (a crash, or exit 3 after --timeout-s), that query is recorded as `crash`
# (the timeout is already recorded) and a new runner, which loads again,
# carries on with the queries left.
tpch_run_basalt() {
  local runner=$1 out=$2 timeout_s=$3
  shift 3
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
    "$runner" "${args[@]}" --timeout-s "$timeout_s" --out "$out" "${remaining[@]}" || rc=$?
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
      printf '%s\tcrash\t\t\trunner exited with status %s\n' "$name" "$rc" >>"$out/timings.tsv"
      echo "$name: basalt_tpch_runner died (status $rc); restarting for the rest" >&2
      left=("${left[@]:1}")
    fi
    remaining=("${left[@]}")
  done
}
