#!/usr/bin/env bash
# Installs Basalt's build and test dependencies from Debian 12 packages.
# A no-op when everything is already there; uses sudo only when not root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libfmt-dev libgtest-dev libgmock-dev libcli11-dev libedit-dev libxxhash-dev
  python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
echo "Installing: ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
