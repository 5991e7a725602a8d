#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test; exits non-zero on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j 2 --timeout 600
