#!/usr/bin/env bash
# One short libFuzzer run of one target, as CTest runs it:
#   1. every input kept in regressions/TARGET runs once (past crashes stay fixed);
#   2. the target fuzzes for SECONDS from freshly generated seeds.
# A crash fails the test; its input is left in WORKDIR/artifacts. Fix the bug,
# then keep the input: cp WORKDIR/artifacts/crash-* tests/filetype/fuzz/regressions/TARGET/
#
#   run_fuzz.sh FUZZER SEED_GENERATOR TARGET REGRESSIONS_DIR SECONDS WORKDIR
set -euo pipefail
if [ $# -ne 6 ]; then
  echo "usage: $0 FUZZER SEED_GENERATOR TARGET REGRESSIONS_DIR SECONDS WORKDIR" >&2
  exit 2
fi
fuzzer=$1 seeds=$2 target=$3 regressions=$4 seconds=$5 work=$6

if [ ! -x "$fuzzer" ]; then
  echo "$fuzzer is missing: build the fuzz targets first (they build with the default target)" >&2
  exit 1
fi
rm -rf "$work/corpus" "$work/seeds"
mkdir -p "$work/corpus" "$work/seeds" "$work/artifacts"
"$seeds" "$target" "$work/seeds"

# The system libraries leak small caches by design (poppler, libmagic): only
# our own crashes and memory errors count. Small inputs keep runs fast.
options=(-detect_leaks=0 -timeout=20 -rss_limit_mb=2560 -max_len=262144 -artifact_prefix="$work/artifacts/")

kept=("$regressions"/*)
if [ -e "${kept[0]}" ]; then
  echo "== $target: ${#kept[@]} kept regression input(s)"
  "$fuzzer" "${options[@]}" "${kept[@]}"
fi

echo "== $target: fuzzing for ${seconds}s"
"$fuzzer" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 "$work/corpus" "$work/seeds"
