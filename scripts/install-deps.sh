#!/usr/bin/env bash
# Installs the Debian packages in scripts/debian-packages.txt (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=$(grep -v '^\s*#' scripts/debian-packages.txt | grep -v '^\s*$' | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: not root; skipping apt-get (need: $packages)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
# Debian's nodejs has no npm; NodeSource's bundles it and conflicts with
# Debian's npm package, so npm is installed only where it is missing.
if ! command -v npm >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
