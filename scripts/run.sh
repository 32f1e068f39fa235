#!/usr/bin/env bash
# Set-up and start in one command: installs the Debian packages, builds
# dlpd (Release) into build-release/, and starts the daemon in the
# foreground with config/dlpd.yaml. Extra arguments go to `dlpd run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDLPD_BUILD_TESTS=OFF -DDLPD_BUILD_BENCH=OFF
cmake --build build-release
exec build-release/bin/dlpd run --config config/dlpd.yaml "$@"
