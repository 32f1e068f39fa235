#!/usr/bin/env bash
# The Debian packages, checked end to end: scripts/package.sh builds them
# from this build tree; their contents, conffiles, Depends and maintainer
# scripts are what an operator needs; the unit passes systemd-analyze verify;
# lintian finds no error; and, installed with dpkg into a clean Debian 12
# root (mmdebstrap: Essential plus exactly the packages' Depends), the dlpd
# user and /var/lib/dlpd exist, `dlpd migrate` run as dlpd against the
# packaged /etc/dlpd/dlpd.yaml makes the SQLite store and the key file there
# with the right owner and modes, the plugins and starter packs load, remove
# keeps the state and purge removes it.
#
#   usage: tests/package/deb_builds_installs_and_migrates.sh BUILD_DIR SOURCE_DIR
#
# The clean root needs root privileges (chroot, mounts) and the Debian
# mirror; it is kept as a tarball in DLPD_PACKAGE_ROOT_CACHE (default
# ~/.cache/dlpd/package-roots), one per set of dependencies, so only the
# first run downloads it. Exit 77 (skipped) when not run as root.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 BUILD_DIR SOURCE_DIR" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
if [[ $(id -u) -ne 0 ]]; then
    echo "skipped: installing into a clean root needs root (chroot)"
    exit 77
fi
for tool in dpkg-buildpackage dh fakeroot lintian systemd-analyze mmdebstrap unshare; do
    command -v "$tool" >/dev/null || {
        echo "FAIL $tool is not installed (scripts/debian-packages.txt)"
        exit 1
    }
done
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
MIRROR=${DLPD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${DLPD_PACKAGE_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dlpd/package-roots}

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    echo "ok   $1"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL $1"
    echo "     expected: $2"
    echo "     got:      $3"
}
finish() {
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]]
}
check() { if [[ "$3" == "$2" ]]; then pass "$1"; else fail "$1" "$2" "$3"; fi; }
# has NAME NEEDLE FILE: FILE has a line containing NEEDLE.
has() {
    if grep -qF -- "$2" "$3"; then
        pass "$1"
    else
        fail "$1" "a line containing '$2'" "$(sed 's/^/     | /' "$3" | head -n 60)"
    fi
}
# step NAME COMMAND...: must succeed, as later checks need what it makes.
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

# --- build ---------------------------------------------------------------------
DIST=$TMP/dist
step "scripts/package.sh $BUILD" "$SRC/scripts/package.sh" "$BUILD" "$DIST"
DEB=$(ls "$DIST"/dlpd_*.deb)
DEV=$(ls "$DIST"/dlpd-dev_*.deb)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
check "the package's version is the project's" "$version" "$(dpkg-deb -f "$DEB" Version)"

# --- contents --------------------------------------------------------------------
dpkg-deb --contents "$DEB" >"$TMP/contents"
dpkg-deb --contents "$DEV" >"$TMP/contents-dev"
# path FILE: the paths of a dpkg-deb --contents listing; mode PATH FILE: "mode owner".
paths() { awk '{ print $6 }' "$1" | sed 's|^\./|/|; s|/$||'; }
paths "$TMP/contents" >"$TMP/paths"
paths "$TMP/contents-dev" >"$TMP/paths-dev"
mode_of() { awk -v p=".$1" '$6 == p { print $1, $2 }' "$2"; }
expect_path() { if grep -qxF -- "$2" "$3"; then pass "$1 ships $2"; else fail "$1 ships $2" "$2 in dpkg-deb --contents" "not there"; fi; }
for p in /usr/bin/dlpd /lib/systemd/system/dlpd.service /etc/dlpd/dlpd.yaml /etc/dlpd/dlpd.env \
    /usr/share/dlpd/patterns.yaml /usr/share/dlpd/slack-app-manifest.yaml /usr/share/doc/dlpd/copyright \
    /usr/share/doc/dlpd/changelog.gz /usr/share/doc/dlpd/README.md /usr/share/man/man1/dlpd.1.gz; do
    expect_path dlpd "$p" "$TMP/paths"
done
for so in "$BUILD"/lib/dlpd/plugins/*.so; do
    expect_path dlpd "/usr/lib/dlpd/plugins/$(basename "$so")" "$TMP/paths"
done
for pack in "$SRC"/config/packs/*.yaml; do
    expect_path dlpd "/usr/share/dlpd/packs/$(basename "$pack")" "$TMP/paths"
done
for p in /usr/bin/dlpd-plugin-check /usr/include/dlpd/plugin.h /usr/include/dlpd/sdk.hpp \
    /usr/lib/cmake/dlpd-sdk/dlpd-sdkConfig.cmake /usr/lib/cmake/dlpd-sdk/DlpdAddPlugin.cmake \
    /usr/share/man/man1/dlpd-plugin-check.1.gz; do
    expect_path dlpd-dev "$p" "$TMP/paths-dev"
done
check "/etc/dlpd/dlpd.env (the tokens) is root's only" "-rw------- root/root" "$(mode_of /etc/dlpd/dlpd.env "$TMP/contents")"
check "/etc/dlpd/dlpd.yaml is readable, not writable, by all" "-rw-r--r-- root/root" \
    "$(mode_of /etc/dlpd/dlpd.yaml "$TMP/contents")"
check "nothing of the SDK is in dlpd" "" "$(grep -E '/usr/include|/usr/lib/cmake|dlpd-plugin-check' "$TMP/paths" || true)"

# --- control: conffiles, Depends, maintainer scripts -----------------------------
dpkg-deb --info "$DEB" >"$TMP/info"
dpkg-deb --control "$DEB" "$TMP/control"
has "dpkg-deb --info lists the conffiles" " conffiles" "$TMP/info"
check "the conffiles are /etc/dlpd/dlpd.env and /etc/dlpd/dlpd.yaml" "/etc/dlpd/dlpd.env /etc/dlpd/dlpd.yaml" \
    "$(sort "$TMP/control/conffiles" | tr '\n' ' ' | sed 's/ $//')"
depends=$(dpkg-deb -f "$DEB" Depends)
for lib in adduser libc6 libpocodatasqlite libpocodatamysql libre2 libyaml-cpp libssl3 libsystemd0 libmagic1 libpoppler-cpp; do
    if [[ $depends == *"$lib"* ]]; then pass "Depends names $lib"; else fail "Depends names $lib" "$lib" "$depends"; fi
done
for script in postinst prerm postrm; do
    [[ -x $TMP/control/$script ]] && pass "the package has a $script" || fail "the package has a $script" "control/$script" "missing"
done
has "postinst creates the dlpd system user" "adduser --system" "$TMP/control/postinst"
has "postinst enables the unit through deb-systemd-helper" "deb-systemd-helper" "$TMP/control/postinst"
has "postrm removes /var/lib/dlpd on purge" "rm -rf /var/lib/dlpd" "$TMP/control/postrm"

# --- the unit --------------------------------------------------------------------
# verify runs on the package's own files: the deb is extracted into a folder
# given as --root, so ExecStart=/usr/bin/dlpd and the unit's other paths
# resolve there, not on this machine. systemd's own units (the targets every
# service depends on) are copied in beside it, as an installed system has
# them. verify exits 0 on an unknown key or a bad value (it only warns), so
# any output fails too.
EXTRACT=$TMP/extract
dpkg-deb -x "$DEB" "$EXTRACT"
cp -an /lib/systemd/system/. "$EXTRACT/lib/systemd/system/"
# ExecReload=/bin/kill comes from procps, one of the package's Depends.
mkdir -p "$EXTRACT/bin" && cp -a /bin/kill "$EXTRACT/bin/kill"
rc=0
systemd-analyze verify --root="$EXTRACT" /lib/systemd/system/dlpd.service >"$TMP/verify" 2>&1 || rc=$?
check "systemd-analyze verify --root (the deb extracted) dlpd.service: exit status 0, nothing said" "0:" \
    "$rc:$(cat "$TMP/verify")"
unit=$EXTRACT/lib/systemd/system/dlpd.service
for line in Type=notify User=dlpd StateDirectory=dlpd WatchdogSec=30s ProtectSystem=strict NoNewPrivileges=yes \
    PrivateTmp=yes 'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' CapabilityBoundingSet= \
    SystemCallFilter=@system-service EnvironmentFile=-/etc/dlpd/dlpd.env \
    'ExecStart=/usr/bin/dlpd run --config /etc/dlpd/dlpd.yaml'; do
    if grep -qxF -- "$line" "$unit"; then pass "dlpd.service: $line"; else fail "dlpd.service: $line" "$line" "not in the unit"; fi
done
systemd-analyze security --offline=yes --root="$EXTRACT" /lib/systemd/system/dlpd.service >"$TMP/security" 2>&1 || true
exposure=$(sed -n 's/.*Overall exposure level for dlpd.service: \([0-9.]*\).*/\1/p' "$TMP/security")
if [[ -n $exposure ]] && awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }'; then
    pass "systemd-analyze security: exposure $exposure (at most 2.0)"
else
    fail "systemd-analyze security: exposure at most 2.0" "<= 2.0" "${exposure:-no figure}: $(tail -n 5 "$TMP/security")"
fi

# --- lintian -----------------------------------------------------------------------
rc=0
lintian --fail-on error,warning --info --display-info --pedantic "$DEB" "$DEV" >"$TMP/lintian" 2>&1 || rc=$?
sed 's/^/     lintian: /' "$TMP/lintian"
check "lintian: no error or warning (each override is explained in packaging/debian/*.lintian-overrides)" "0" "$rc"

# --- a clean Debian 12 root, then dpkg -i --------------------------------------------
# Debian's Essential packages plus the packages' Depends (without versions, as
# apt resolves them), from the mirror: dlpd then runs with what its Depends
# pull in, nothing of this machine. Made once per set of dependencies, then
# unpacked from the cache.
deps=$( (dpkg-deb -f "$DEB" Depends; dpkg-deb -f "$DEV" Depends) | tr ',' '\n' | sed 's/([^)]*)//; s/|.*//; s/ //g' |
    grep -v -e '^$' -e '^dlpd' | sort -u | tr '\n' ',' | sed 's/,$//')
key=$(echo "bookworm $MIRROR $deps" | sha256sum | cut -c1-16)
tarball=$CACHE/bookworm-$key.tar
ROOT=$TMP/root
if [[ -s $tarball ]]; then
    mkdir "$ROOT"
    tar -C "$ROOT" -xf "$tarball"
    pass "clean root from the cache: $tarball"
else
    step "mmdebstrap bookworm (Essential + $deps)" \
        mmdebstrap --variant=essential --include="$deps" --dpkgopt=force-unsafe-io \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' bookworm "$ROOT" "$MIRROR"
    mkdir -p "$CACHE"
    tar -C "$ROOT" -cf "$tarball.new" . && mv "$tarball.new" "$tarball"
fi
cp "$DEB" "$DEV" "$ROOT/tmp/"
# in_root [--user] COMMAND...: in the root, in private mount and pid
# namespaces with their own /proc (dlpd finds itself through /proc/self/exe).
in_root() {
    local spec=()
    if [[ $1 == --user ]]; then
        spec=(--userspec=dlpd:dlpd)
        shift
    fi
    unshare --mount --pid --fork --mount-proc="$ROOT/proc" chroot "${spec[@]}" "$ROOT" \
        /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}
step "dpkg -i dlpd and dlpd-dev in the clean root" in_root dpkg -i "/tmp/$(basename "$DEB")" "/tmp/$(basename "$DEV")"
passwd=$(in_root getent passwd dlpd || true)
uid=$(cut -d: -f3 <<<"$passwd")
if [[ -n $uid && $uid -lt 1000 ]]; then pass "postinst made dlpd a system user (uid $uid)"; else fail "dlpd is a system user" "uid < 1000" "'$passwd'"; fi
check "dlpd cannot log in" "/usr/sbin/nologin" "$(cut -d: -f7 <<<"$passwd")"
check "/var/lib/dlpd belongs to dlpd, mode 0750" "dlpd:dlpd 750" "$(in_root stat -c '%U:%G %a' /var/lib/dlpd)"
check "/etc/dlpd/dlpd.env installed root's only" "root:root 600" "$(in_root stat -c '%U:%G %a' /etc/dlpd/dlpd.env)"
wants=$ROOT/etc/systemd/system/multi-user.target.wants/dlpd.service
check "postinst enabled dlpd.service (multi-user.target wants it)" "/lib/systemd/system/dlpd.service" \
    "$(readlink "$wants" || true)"

# As dlpd.service runs it: the dlpd user, umask 0077, in /var/lib/dlpd.
out=$TMP/migrate
rc=0
in_root --user sh -c 'umask 0077 && cd /var/lib/dlpd && exec dlpd migrate --config /etc/dlpd/dlpd.yaml' >"$out" 2>&1 || rc=$?
check "dlpd migrate --config /etc/dlpd/dlpd.yaml as dlpd: exit status" "0" "$rc"
has "dlpd migrate: the store is /var/lib/dlpd/dlpd.db" "sqlite:/var/lib/dlpd/dlpd.db: schema version" "$out"
has "dlpd migrate: the key file is made in /var/lib/dlpd" "sealed with the key in /var/lib/dlpd/dlpd.key (created" "$out"
check "the SQLite store belongs to dlpd, mode 0600" "dlpd:dlpd 600" "$(in_root stat -c '%U:%G %a' /var/lib/dlpd/dlpd.db)"
check "the store is an SQLite database" "SQLite format 3" "$(head -c 15 "$ROOT/var/lib/dlpd/dlpd.db")"
check "the key file belongs to dlpd, mode 0600" "dlpd:dlpd 600" "$(in_root stat -c '%U:%G %a' /var/lib/dlpd/dlpd.key)"
check "the key file holds a 256-bit key in hex" "1" "$(grep -cxE '[0-9a-f]{64}' "$ROOT/var/lib/dlpd/dlpd.key" || true)"
key_before=$(cat "$ROOT/var/lib/dlpd/dlpd.key")
in_root --user sh -c 'cd /var/lib/dlpd && exec dlpd migrate --config /etc/dlpd/dlpd.yaml' >"$out" 2>&1 || true
has "dlpd migrate again: already up to date" "(already up to date)" "$out"
check "dlpd migrate again: the key file is kept as it was" "$key_before" "$(cat "$ROOT/var/lib/dlpd/dlpd.key")"

# The packaged configuration finds the packaged plugins and starter packs.
out=$TMP/scan
rc=0
echo "card 4539 1488 0343 6467" | in_root --user dlpd scan --config /etc/dlpd/dlpd.yaml - >"$out" 2>&1 || rc=$?
check "dlpd scan --config /etc/dlpd/dlpd.yaml as dlpd: exit status 1 (a finding)" "1" "$rc"
has "dlpd scan: the starter pack's card rule, confirmed by the luhn plugin" "card_visa (regex, confirmed by luhn" "$out"
out=$TMP/plugins
in_root --user dlpd plugins --config /etc/dlpd/dlpd.yaml >"$out" 2>&1 || true
for so in "$BUILD"/lib/dlpd/plugins/*.so; do
    has "dlpd plugins: loads /usr/lib/dlpd/plugins/$(basename "$so")" "/usr/lib/dlpd/plugins/$(basename "$so")" "$out"
done
has "dlpd plugins: refuses nothing" "refused (0):" "$out"
out=$TMP/check
in_root dlpd-plugin-check /usr/lib/dlpd/plugins/dlpd-luhn.so >"$out" 2>&1 || true
has "dlpd-plugin-check (dlpd-dev) runs in the clean root" "plugin:      luhn" "$out"

# --- remove keeps the state, purge removes it ----------------------------------------
step "dpkg -r dlpd-dev dlpd" in_root dpkg -r dlpd-dev dlpd
check "after remove, the store is kept" "yes" "$([[ -f $ROOT/var/lib/dlpd/dlpd.db ]] && echo yes || echo no)"
check "after remove, the conffiles are kept" "yes" "$([[ -f $ROOT/etc/dlpd/dlpd.yaml ]] && echo yes || echo no)"
step "dpkg --purge dlpd" in_root dpkg --purge dlpd
check "after purge, /var/lib/dlpd is gone" "no" "$([[ -e $ROOT/var/lib/dlpd ]] && echo yes || echo no)"
check "after purge, /etc/dlpd is gone" "no" "$([[ -e $ROOT/etc/dlpd ]] && echo yes || echo no)"
check "after purge, dlpd.service is no longer enabled" "no" "$([[ -L $wants ]] && echo yes || echo no)"

finish
