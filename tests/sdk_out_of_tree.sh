#!/usr/bin/env bash
# The SDK promise, checked end to end: install dlpd from a build tree into a
# temporary prefix, build the example plugins in sdk/examples/ out of tree
# against that installation only (find_package(dlpd-sdk) + dlpd_add_plugin),
# and check them with the installed dlpd-plugin-check and dlpd scan.
#
#   usage: tests/sdk_out_of_tree.sh DLPD_BUILD_DIR DLPD_SOURCE_DIR
#
# Prints one line per assertion (what was expected and what came out, on
# failure), then "N passed, M failed". Exit status 0 only when all passed.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 DLPD_BUILD_DIR DLPD_SOURCE_DIR" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PREFIX=$TMP/prefix
EXAMPLES=$SRC/sdk/examples

passed=0
failed=0

pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}
# fail NAME EXPECTED GOT
fail() {
    failed=$((failed + 1))
    echo "FAIL $1"
    echo "     expected: $2"
    echo "     got:      $3"
}
summary() { echo "$passed passed, $failed failed"; }
finish() {
    summary
    [[ $failed -eq 0 ]]
}
# check NAME EXPECTED GOT: GOT must equal EXPECTED.
check() {
    if [[ "$3" == "$2" ]]; then pass "$1"; else fail "$1" "$2" "$3"; fi
}
# contains NAME NEEDLE FILE: FILE must contain the line fragment NEEDLE.
contains() {
    if grep -qF -- "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "output containing '$2'" "$(sed 's/^/     | /' "$3" | head -n 40)"
    fi
}
# step NAME COMMAND...: a command that must succeed because later
# assertions need what it makes; on failure the run ends here.
step() {
    local name=$1 log=$TMP/step-$((passed + failed)).log rc=0
    shift
    "$@" >"$log" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]]; then
        pass "$name"
    else
        fail "$name" "exit status 0" "exit status $rc from: $*
$(tail -n 40 "$log" | sed 's/^/     | /')"
        finish || exit 1
    fi
}
# run OUT COMMAND...: runs COMMAND with stdout in OUT, stderr in OUT.err,
# and sets rc to its exit status.
run() {
    local out=$1
    shift
    rc=0
    "$@" >"$out" 2>"$out.err" || rc=$?
}
# exports FILE: the dynamic symbols FILE defines, space-separated.
exports() { nm -D --defined-only "$1" | awk '{print $NF}' | sort | tr '\n' ' ' | sed 's/ $//'; }
# findings FILE: the finding lines of a dlpd scan --format jsonl output.
findings() { grep '"type":"finding"' "$1" || true; }
# field NAME LINE: the raw JSON value of a top-level string, number or
# string-list member of a compact JSON line.
field() { grep -o "\"$1\":\(\"[^\"]*\"\|[0-9]*\|\[[^]]*\]\)" <<<"$2" | head -n 1 | cut -d: -f2-; }
# code_block FILE MARKER LANG: the fenced LANG block that follows the line
# MARKER in the markdown FILE.
code_block() {
    awk -v marker="$2" -v open="\`\`\`$3" '
        $0 == marker { seen = 1; next }
        seen == 1 && $0 == open { seen = 2; next }
        seen == 2 && $0 == "```" { exit }
        seen == 2 { print }' "$1"
}

# --- install, then build the examples against the installation only -----
step "cmake --install into a temporary prefix" cmake --install "$BUILD" --prefix "$PREFIX"
for name in iban keywords; do
    step "configure sdk/examples/$name out of tree" \
        cmake -S "$EXAMPLES/$name" -B "$TMP/$name-build" -DCMAKE_PREFIX_PATH="$PREFIX"
    step "build sdk/examples/$name" cmake --build "$TMP/$name-build" -j1
done
IBAN_SO=$TMP/iban-build/dlpd-iban.so
KEYWORDS_SO=$TMP/keywords-build/dlpd-keywords.so
check "dlpd-iban.so exports exactly dlpd_plugin_entry" "dlpd_plugin_entry" "$(exports "$IBAN_SO")"
check "dlpd-keywords.so exports exactly dlpd_plugin_entry" "dlpd_plugin_entry" "$(exports "$KEYWORDS_SO")"

# --- dlpd-plugin-check on the iban validator --------------------------------
abi_major=$(sed -n 's/^#define DLPD_ABI_MAJOR \([0-9]*\)u*$/\1/p' "$PREFIX/include/dlpd/plugin.h")
abi_minor=$(sed -n 's/^#define DLPD_ABI_MINOR \([0-9]*\)u*$/\1/p' "$PREFIX/include/dlpd/plugin.h")
candidates=$TMP/candidates.txt
{
    echo "GB29 NWBK 6016 1331 9268 19" # valid
    echo "DE88370400440532013000"      # DE89370400440532013000 with a broken check digit
} >"$candidates"
out=$TMP/check-iban.txt
run "$out" "$PREFIX/bin/dlpd-plugin-check" "$IBAN_SO" "$candidates"
check "dlpd-plugin-check iban: exit status" "0" "$rc"
contains "dlpd-plugin-check iban: name and id" "plugin:      iban (org.dlpd.examples.iban)" "$out"
contains "dlpd-plugin-check iban: ABI" "ABI:         $abi_major.$abi_minor (host $abi_major.$abi_minor)" "$out"
contains "dlpd-plugin-check iban: validator role" "roles:       validator:iban" "$out"
contains "dlpd-plugin-check iban: config schema" "  allowed_countries (string list): " "$out"
verdicts=$(sed -n 's/^  .*: \(valid\|invalid\)$/\1/p' "$out" | tr '\n' ' ' | sed 's/ $//')
check "dlpd-plugin-check iban: line 1 valid, line 2 (broken check digit) invalid" "valid invalid" "$verdicts"

run "$out" "$PREFIX/bin/dlpd-plugin-check" "$IBAN_SO" --set allowed_countries=DE "$candidates"
verdicts=$(sed -n 's/^  .*: \(valid\|invalid\)$/\1/p' "$out" | tr '\n' ' ' | sed 's/ $//')
check "dlpd-plugin-check iban --set allowed_countries=DE: the GB IBAN is refused" "invalid invalid" "$verdicts"

run "$out" "$PREFIX/bin/dlpd-plugin-check" "$IBAN_SO" --set allowed_countries=ZZ "$candidates"
check "dlpd-plugin-check iban --set allowed_countries=ZZ: exit status" "2" "$rc"
contains "dlpd-plugin-check iban --set allowed_countries=ZZ: refused as DLPD_ERR_CONFIG" \
    "could not create an instance: DLPD_ERR_CONFIG; allowed_countries: 'ZZ'" "$out"

# --- dlpd scan with the iban rule pack ---------------------------------------
text=$TMP/payments.txt
{
    echo "Not this one, the mod-97 check fails: GB82 WEST 1234 5698 7654 31."
    echo "Please refund GB82 WEST 1234 5698 7654 32 today."
} >"$text"
out=$TMP/scan-iban.jsonl
run "$out" "$PREFIX/bin/dlpd" scan --plugin-dir "$PREFIX/lib/dlpd/plugins" --plugin-dir "$TMP/iban-build" \
    --patterns "$EXAMPLES/iban/patterns.yaml" --format jsonl "$text"
check "dlpd scan iban: exit status 1 (findings)" "1" "$rc"
[[ $rc -eq 1 ]] || echo "     stderr: $(cat "$out.err")"
found=$(findings "$out")
check "dlpd scan iban: exactly one finding" "1" "$(grep -c . <<<"$found" || true)"
check "dlpd scan iban: rule" '"iban_checked"' "$(field rule "$found")"
check "dlpd scan iban: validators" '["iban"]' "$(field validators "$found")"
check "dlpd scan iban: the valid IBAN's line" "2" "$(field line "$found")"

# --- dlpd scan with the keywords detector ------------------------------------
text=$TMP/notes.txt
{
    echo "Meeting notes"
    echo "The NIGHTJAR launch moves to May; nightjars are birds."
} >"$text"
out=$TMP/scan-keywords.jsonl
run "$out" "$PREFIX/bin/dlpd" scan --plugin-dir "$PREFIX/lib/dlpd/plugins" --plugin-dir "$TMP/keywords-build" \
    --patterns "$EXAMPLES/keywords/patterns.yaml" --format jsonl "$text"
check "dlpd scan keywords: exit status 1 (findings)" "1" "$rc"
[[ $rc -eq 1 ]] || echo "     stderr: $(cat "$out.err")"
found=$(findings "$out")
check "dlpd scan keywords: exactly one finding" "1" "$(grep -c . <<<"$found" || true)"
check "dlpd scan keywords: rule" '"codenames"' "$(field rule "$found")"
check "dlpd scan keywords: detector" '"keywords"' "$(field detector "$found")"
check "dlpd scan keywords: where" "2 5" "$(field line "$found") $(field column "$found")"

# --- the guide shows the code that was just built ----------------------------
for file in keywords.cpp CMakeLists.txt; do
    lang=cpp
    [[ $file == CMakeLists.txt ]] && lang=cmake
    difference=$(diff <(code_block "$SRC/sdk/README.md" "<!-- sdk/examples/keywords/$file -->" "$lang") \
        "$EXAMPLES/keywords/$file" || true)
    if [[ -z $difference ]]; then
        pass "sdk/README.md shows sdk/examples/keywords/$file verbatim"
    else
        fail "sdk/README.md shows sdk/examples/keywords/$file verbatim" \
            "the README's block after '<!-- sdk/examples/keywords/$file -->' identical to the file" \
            "differences (< README, > file):
     | ${difference//$'\n'/$'\n'     | }"
    fi
done

finish
