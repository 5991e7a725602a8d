#!/usr/bin/env bash
# Installs what is needed, builds, and opens the basalt shell on an
# in-memory database with the sample data loaded, serving the web console
# on http://127.0.0.1:8090/ while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/basalt --init examples/sample.sql --http-port 8090 "$@"
