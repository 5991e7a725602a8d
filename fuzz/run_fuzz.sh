#!/usr/bin/env bash
# Builds a fuzz target (fuzz/CMakeLists.txt, clang++-14, ccache when
# present) into BUILD_DIR and runs it for SECONDS. Exits non-zero on any
# crash, sanitizer report or failed check; the input that caused it is kept in
# BUILD_DIR/artifacts/ and the run prints how to replay it. The corpus grows
# in BUILD_DIR/corpus/ from run to run, starting from the target's seeds.
# Run by ctest as server_message_fuzz, parquet_metadata_fuzz and parquet_page_fuzz.
#
#   fuzz/run_fuzz.sh [BUILD_DIR (default build/fuzz)] [SECONDS (default 60)]
#                    [TARGET (default server_message_fuzz)]
set -euo pipefail

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
build_dir="${1:-$fuzz_dir/../build/fuzz}"
seconds="${2:-60}"
target="${3:-server_message_fuzz}"

# Per target: the script that writes its seeds and the largest input.
# -max_len: for the server, streams of a few messages; for Parquet, a footer
# of a few row groups or a page header.
case "$target" in
  server_message_fuzz)
    seed_script="make_seed_corpus.py"
    max_len=4096
    ;;
  parquet_metadata_fuzz)
    seed_script="make_parquet_seed_corpus.py"
    max_len=8192
    ;;
  parquet_page_fuzz)
    # A column chunk of a few pages of a few hundred values.
    seed_script="make_parquet_page_seed_corpus.py"
    max_len=16384
    ;;
  *)
    echo "run_fuzz.sh: unknown target $target" >&2
    exit 2
    ;;
esac

for tool in clang++-14 cmake ninja python3 flock; do
  if ! command -v "$tool" >/dev/null; then
    echo "run_fuzz.sh: $tool not found (scripts/setup.sh installs it)" >&2
    exit 1
  fi
done

# The fuzz tests may run at once (ctest -j): one configure and build at a time.
mkdir -p "$build_dir"
(
  flock 9
  cmake -S "$fuzz_dir" -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  ninja -C "$build_dir" -j2 "$target"
) 9>"$build_dir/.build.lock"

corpus="$build_dir/corpus/${target%_fuzz}"
artifacts="$build_dir/artifacts"
mkdir -p "$corpus" "$artifacts"
python3 "$fuzz_dir/$seed_script" "$corpus"

# -timeout: a single input taking seconds is a bug (quadratic framing, say),
# reported as a failure.
log="$build_dir/$target.log"
set +e
"$build_dir/$target" "$corpus" \
  -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/$target-" -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
  cat "$log"
  echo "$target failed (status $status); replay the input with:" >&2
  echo "  $build_dir/$target $artifacts/$target-<crash-file>" >&2
else
  # The progress lines are many; the end has the totals.
  tail -n 12 "$log"
fi
exit "$status"
