#!/usr/bin/env bash
# Installs Basalt's build and test dependencies from Debian 12 packages.
# A no-op when everything is already there; uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libfmt-dev libgtest-dev libgmock-dev libcli11-dev libedit-dev libxxhash-dev libre2-dev libssl-dev
  python3 postgresql-client python3-psycopg2 openssl
  libpq-dev                                    # basalt --host (the shell as a client)
  liblz4-dev libzstd-dev libroaring-dev        # segment files (src/storage/segment)
  libsqlite3-dev                               # metadata store (src/storage/managed)
  libsnappy-dev zlib1g-dev                     # Parquet page codecs (src/storage/parquet)
  libsimdjson-dev                              # read_json (src/storage/json)
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc  # src/cluster
  clang-14 libclang-rt-14-dev                  # fuzz/ (libFuzzer)
  default-jdk-headless libpostgresql-jdbc-java # tests/server/test_jdbc.py
  chromium                                     # tests/web (the web console in a real browser)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  echo "Installing: ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# DuckDB for the TPC-H benchmark (bench/tpch/run.sh): @duckdb/node-api from
# npm, as pinned by bench/tpch/harness/package-lock.json, which ships DuckDB's
# native library. Only when node and npm are there, and only when the pinned
# version is not installed yet. `npm install` rather than `npm ci`: the
# registry lacks some other platforms' optional binaries at the pinned
# version, which `npm ci` refuses. The tests do not need DuckDB (their
# answers are committed), so a failure only warns.
harness="$(cd "$(dirname "$0")/.." && pwd)/bench/tpch/harness"
if command -v node >/dev/null && command -v npm >/dev/null; then
  version_of() { node -p "try { $1 } catch { '' }" 2>/dev/null || true; }
  pinned=$(version_of "require('$harness/package-lock.json').packages['node_modules/@duckdb/node-api'].version")
  installed=$(version_of "require('$harness/node_modules/@duckdb/node-api/package.json').version")
  if [ -z "$installed" ] || [ "$installed" != "$pinned" ]; then
    echo "Installing @duckdb/node-api $pinned into bench/tpch/harness/node_modules" >&2
    npm install --prefix "$harness" --no-audit --no-fund --loglevel=error >&2 ||
      echo "warning: npm install failed; bench/tpch/run.sh will need DuckDB" >&2
  fi
  # hyparquet, hyparquet-writer and hyparquet-compressors, pinned by
  # tests/parquet/hyparquet/package-lock.json: a second Parquet
  # implementation for tests/parquet/test_parquet_hyparquet.py, installed the
  # same way (the test is not registered without it).
  hyparquet="$(cd "$(dirname "$0")/.." && pwd)/tests/parquet/hyparquet"
  stale=0
  for package in hyparquet hyparquet-writer hyparquet-compressors; do
    pinned=$(version_of "require('$hyparquet/package-lock.json').packages['node_modules/$package'].version")
    installed=$(version_of "require('$hyparquet/node_modules/$package/package.json').version")
    if [ -z "$installed" ] || [ "$installed" != "$pinned" ]; then stale=1; fi
  done
  if [ "$stale" -eq 1 ]; then
    echo "Installing hyparquet into tests/parquet/hyparquet/node_modules" >&2
    npm install --prefix "$hyparquet" --no-audit --no-fund --loglevel=error >&2 ||
      echo "warning: npm install failed; parquet_hyparquet_tests will not be registered" >&2
  fi
  # playwright-core, pinned by tests/web/package-lock.json: drives
  # /usr/bin/chromium for tests/web/console.test.mjs, installed the same way
  # (the test is not registered without it). It downloads no browser.
  web="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
  pinned=$(version_of "require('$web/package-lock.json').packages['node_modules/playwright-core'].version")
  installed=$(version_of "require('$web/node_modules/playwright-core/package.json').version")
  if [ -z "$installed" ] || [ "$installed" != "$pinned" ]; then
    echo "Installing playwright-core $pinned into tests/web/node_modules" >&2
    npm install --prefix "$web" --no-audit --no-fund --loglevel=error >&2 ||
      echo "warning: npm install failed; web_console_tests will not be registered" >&2
  fi
fi
