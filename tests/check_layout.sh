#!/usr/bin/env bash
# The folder tree is the architecture (host/README.md): each folder of host/
# and admin/ includes only the folders it may use, at most 6 source files sit
# directly in host/, and no source file is over 600 lines. Linking catches a
# wrong-way call into a .cpp; this catches one into a header, which linking
# cannot see.
set -uo pipefail
root=${1:?usage: check_layout.sh SOURCE_DIR}
cd "$root" || exit 1
failed=0 checked=0

# folder -> the include prefixes it may use ("log.hpp" is host/log.hpp).
declare -A allowed=(
  [host/metrics]="metrics"
  [host/engine]="engine metrics log.hpp"
  [host/policy]="policy"
  [host/config]="config engine policy log.hpp"
  [host/store]="store engine config metrics log.hpp"
  [host/runtime]="runtime engine config store metrics log.hpp"
  [host/report]="report engine log.hpp"
  [host/asio]=""
  [host/slack]="slack engine config store policy metrics log.hpp refusal_log.hpp"
  [host/systemd]="systemd log.hpp"
  [host/cli]="cli engine config store runtime report policy slack systemd admin metrics log.hpp"
  [admin]="admin engine config store runtime policy log.hpp refusal_log.hpp"
)
for dir in "${!allowed[@]}"; do
  checked=$((checked + 1))
  bad=""
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"$line")
    top=${inc%%/*}
    ok=0
    for a in ${allowed[$dir]}; do [ "$top" = "$a" ] && ok=1; done
    [ "$ok" = 1 ] || bad+="  $file includes \"$inc\""$'\n'
  done < <(grep -rn --include='*.cpp' --include='*.hpp' '^#include "' "$dir" || true)
  if [ -n "$bad" ]; then
    echo "FAIL: $dir may include only: ${allowed[$dir]:-(nothing of dlpd)}"
    printf '%s' "$bad"
    failed=$((failed + 1))
  else
    echo "ok: $dir includes only ${allowed[$dir]:-(nothing of dlpd)}"
  fi
done

checked=$((checked + 1))
top_level=$(find host -maxdepth 1 -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) | wc -l)
if [ "$top_level" -gt 6 ]; then
  echo "FAIL: $top_level source files directly in host/ (at most 6)"
  failed=$((failed + 1))
else
  echo "ok: $top_level source files directly in host/"
fi

checked=$((checked + 1))
long=$(find host admin plugins sdk plugin-api -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) \
         -exec awk 'END { if (NR > 600) print FILENAME ": " NR " lines" }' {} \;)
if [ -n "$long" ]; then
  echo "FAIL: source files over 600 lines:"
  echo "$long"
  failed=$((failed + 1))
else
  echo "ok: no source file over 600 lines"
fi

echo "$((checked - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
