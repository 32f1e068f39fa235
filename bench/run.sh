#!/usr/bin/env bash
# Generates the benchmark's corpus and rule sets into BUILD_DIR/bench-data and
# runs engine_bench on them; the report goes to standard output and to
# BUILD_DIR/bench-data/results.md.
#
#   bench/run.sh BUILD_DIR [engine_bench options...]
#
# Build first (only these targets; the plugins come with engine_bench):
#   ninja -C BUILD_DIR corpus_gen rules_gen engine_bench
#
# Environment:
#   BENCH_MB        corpus size in MB (default 100)
#   BENCH_PATTERNS  the starter pack read for the starter and realistic sets
#                   (default: config/patterns.yaml of this source tree)
# Options after BUILD_DIR go to engine_bench and override the defaults below,
# e.g. `bench/run.sh build --sets syn1000,realistic --runs 3`.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [engine_bench options...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "$0")/.." && pwd)
bin=$build/bin
data=$build/bench-data
mb=${BENCH_MB:-100}
patterns=${BENCH_PATTERNS:-$src/config/patterns.yaml}

for tool in corpus_gen rules_gen engine_bench; do
  if [ ! -x "$bin/$tool" ]; then
    echo "$0: $bin/$tool is missing; build it with: ninja -C $build corpus_gen rules_gen engine_bench" >&2
    exit 2
  fi
done

mkdir -p "$data"
run() {
  echo "+ $*" >&2
  "$@"
}

run "$bin/corpus_gen" --mb "$mb" --out "$data/corpus.txt"
run "$bin/rules_gen" --out "$data/rules" --patterns "$patterns"
run "$bin/engine_bench" \
  --corpus "$data/corpus.txt" \
  --rules "$data/rules" \
  --sets syn10,syn100,syn1000,syn10000,realistic,starter \
  --runs 5 \
  --max-seconds 10 \
  --variant prefilter=none \
  --variant max_mem_mb=1024 \
  --variant chunk_bytes=65536 \
  --variant rules=bare \
  --variant-sets syn1000,realistic,starter \
  "$@" | tee "$data/results.md"
