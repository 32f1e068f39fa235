#!/usr/bin/env bash
# Set-up and test in one command: installs the Debian packages, builds
# everything with warnings as errors and runs every test (CTest); builds the
# Release configuration that scripts/run.sh uses; then builds again with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs the whole suite under
# them. Set DLPD_SKIP_SANITIZERS=1 to skip the sanitizer pass while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
# The admin's browser test drives Chromium with playwright-core (pinned in
# its package-lock.json).
(cd tests/admin/browser && npm ci --no-audit --no-fund)

cmake --preset default
cmake --build --preset default
ctest --preset default

# The Release configuration that scripts/run.sh builds must compile too
# (-O3 brings warnings of its own).
cmake --preset release
cmake --build --preset release

if [ "${DLPD_SKIP_SANITIZERS:-0}" != "1" ]; then
  cmake --preset asan
  cmake --build --preset asan
  ctest --preset asan
fi
echo "test.sh: all tests passed (jobs=$jobs)"
