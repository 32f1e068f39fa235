#!/usr/bin/env bash
# The seed "generator" run_fuzz.sh calls: the HTTP Events seeds are kept as
# files in corpus/, so this copies them.   copy_corpus.sh TARGET OUTDIR
set -euo pipefail
cp "$(dirname "$0")"/corpus/* "$2"/
