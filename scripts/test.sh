#!/usr/bin/env bash
# Set-up and test in one command: installs the Debian packages, builds
# everything with warnings as errors, and runs every test (CTest) — then
# builds again with AddressSanitizer + UndefinedBehaviorSanitizer and runs
# the whole suite under them. Set DLPD_SKIP_SANITIZERS=1 to skip the second
# pass while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

cmake --preset default
cmake --build --preset default
ctest --preset default

if [ "${DLPD_SKIP_SANITIZERS:-0}" != "1" ]; then
  cmake --preset asan
  cmake --build --preset asan
  ctest --preset asan
fi
echo "test.sh: all tests passed (jobs=$jobs)"
