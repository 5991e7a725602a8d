#!/usr/bin/env bash
# Builds the fuzz targets (fuzz/CMakeLists.txt, clang++-14, ccache when
# present) into BUILD_DIR and runs server_message_fuzz for SECONDS. Exits
# non-zero on any crash, sanitizer report or failed check; the input that
# caused it is kept in BUILD_DIR/artifacts/ and the run prints how to replay it.
# The corpus grows in BUILD_DIR/corpus/ from run to run, starting from the
# seeds of make_seed_corpus.py. Run by ctest as server_message_fuzz.
#
#   fuzz/run_fuzz.sh [BUILD_DIR (default build/fuzz)] [SECONDS (default 60)]
set -euo pipefail

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
build_dir="${1:-$fuzz_dir/../build/fuzz}"
seconds="${2:-60}"

for tool in clang++-14 cmake ninja python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "run_fuzz.sh: $tool not found (scripts/setup.sh installs it)" >&2
    exit 1
  fi
done

cmake -S "$fuzz_dir" -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
ninja -C "$build_dir" -j2 server_message_fuzz

corpus="$build_dir/corpus/server_message"
artifacts="$build_dir/artifacts"
mkdir -p "$corpus" "$artifacts"
python3 "$fuzz_dir/make_seed_corpus.py" "$corpus"

# -max_len: streams of a few messages; -timeout: a single input taking
# seconds is a bug (quadratic framing, say), reported as a failure.
log="$build_dir/server_message_fuzz.log"
set +e
"$build_dir/server_message_fuzz" "$corpus" \
  -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
  cat "$log"
  echo "server_message_fuzz failed (status $status); replay the input with:" >&2
  echo "  $build_dir/server_message_fuzz $artifacts/<crash-file>" >&2
else
  # The progress lines are many; the end has the totals.
  tail -n 12 "$log"
fi
exit "$status"
