#!/usr/bin/env bash
# The seed "generator" run_fuzz.sh calls: the validator seeds are kept as
# files in corpus/ (one valid example per format, with its selector byte),
# so this copies them.   copy_corpus.sh TARGET OUTDIR
set -euo pipefail
cp "$(dirname "$0")"/corpus/* "$2"/
