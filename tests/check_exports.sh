#!/usr/bin/env bash
# Every dlpd plugin built with dlpd_add_plugin must export exactly one
# dynamic symbol, dlpd_plugin_entry (DESIGN.md, ABI rule 1).
set -uo pipefail
checked=0 failed=0
for dir in "$@"; do
  for so in "$dir"/dlpd-*.so; do
    [ -e "$so" ] || continue
    syms=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
    checked=$((checked + 1))
    if [ "$syms" != "dlpd_plugin_entry" ]; then
      echo "FAIL: $so exports: $(echo $syms)"
      failed=$((failed + 1))
    else
      echo "ok: $so exports only dlpd_plugin_entry"
    fi
  done
done
if [ "$checked" -eq 0 ]; then echo "FAIL: no plugins found in $*"; exit 1; fi
echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
