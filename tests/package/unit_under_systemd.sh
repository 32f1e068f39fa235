#!/usr/bin/env bash
# A manual check, not run by CTest (it boots systemd, which some CI
# containers cannot): dlpd.service started by a real systemd with its whole
# sandbox. Makes a Debian 12 root with systemd and the package's Depends
# (mmdebstrap), installs the deb, boots systemd in it as PID 1 (pid and mount
# namespaces, pivot_root), and checks: the unit is active (running) after
# READY=1, with dlpd's STATUS; /var/lib/dlpd and the store are dlpd's, 0750
# and 0600; a dlpd that stops answering (SIGSTOP) is killed by the watchdog
# and restarted; systemctl stop ends it cleanly; the exposure rating.
#
#   usage: tests/package/unit_under_systemd.sh DLPD_DEB
set -euo pipefail
deb=$(realpath "${1:?usage: $0 DLPD_DEB}")
[[ $(id -u) -eq 0 ]] || { echo "needs root" >&2; exit 2; }
TMP=$(mktemp -d)
ROOT=$TMP/root
boot_pid=
cleanup() {
    [[ -n $boot_pid ]] && kill -9 "$boot_pid" 2>/dev/null || true
    sleep 1
    rm -rf "$TMP"
}
trap cleanup EXIT
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/([^)]*)//; s/|.*//; s/ //g' | grep -v '^$' | tr '\n' ',')
mmdebstrap --variant=minbase --include="${deps}systemd,systemd-sysv,dbus" --dpkgopt=force-unsafe-io \
    bookworm "$ROOT" "${DLPD_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$TMP/mmdebstrap.log" 2>&1
cp "$deb" "$ROOT/tmp/dlpd.deb"
chroot "$ROOT" dpkg -i /tmp/dlpd.deb >/dev/null
# The watchdog check waits for WatchdogSec; a short one keeps it quick.
mkdir -p "$ROOT/etc/systemd/system/dlpd.service.d"
printf '[Service]\nWatchdogSec=4s\n' >"$ROOT/etc/systemd/system/dlpd.service.d/watchdog.conf"
cat >"$TMP/boot.sh" <<BOOT
#!/bin/bash
set -e
mount --bind "$ROOT" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
mount -t tmpfs tmpfs "$ROOT/run"
mount -t tmpfs tmpfs "$ROOT/tmp"
cd "$ROOT"
mkdir -p .oldroot
pivot_root . .oldroot
export container=other
exec /lib/systemd/systemd --system --log-target=null
BOOT
chmod +x "$TMP/boot.sh"
setsid unshare --pid --fork --mount --uts --ipc --propagation private "$TMP/boot.sh" </dev/null >/dev/null 2>&1 &
sleep 1
for _ in $(seq 100); do
    boot_pid=$(pgrep -f "^/lib/systemd/systemd --system --log-target=null" | head -n 1 || true)
    [[ -n $boot_pid ]] && break
    sleep 0.1
done
in_systemd() { nsenter -t "$boot_pid" -m -p -r -w "$@"; }
prop() { in_systemd /usr/bin/systemctl show dlpd -p "$1" --value; }
failed=0
check() {
    if [[ "$3" == "$2" ]]; then echo "ok   $1"; else echo "FAIL $1: expected '$2', got '$3'"; failed=$((failed + 1)); fi
}
wait_for() { # wait_for PROPERTY VALUE SECONDS
    for _ in $(seq $(($3 * 10))); do [[ $(prop "$1" 2>/dev/null) == "$2" ]] && return 0; sleep 0.1; done
    return 1
}
wait_for SubState running 60 || true
check "dlpd.service is active (running) after READY=1" "active running" "$(prop ActiveState) $(prop SubState)"
check "systemctl status shows dlpd's STATUS" "rule revision 1; Slack not configured (no tokens)" "$(prop StatusText)"
check "/var/lib/dlpd: dlpd's, 0750" "dlpd:dlpd 750" "$(in_systemd /usr/bin/stat -c '%U:%G %a' /var/lib/dlpd)"
check "the store: dlpd's, 0600 (UMask=0077)" "dlpd:dlpd 600" "$(in_systemd /usr/bin/stat -c '%U:%G %a' /var/lib/dlpd/dlpd.db)"
main=$(prop MainPID)
in_systemd /usr/bin/sh -c "kill -STOP $main"
wait_for NRestarts 1 30 || true
wait_for SubState running 60 || true
check "a dlpd that stops answering is killed by the watchdog and restarted" "1 running" "$(prop NRestarts) $(prop SubState)"
check "the restarted dlpd is another process" "yes" "$([[ $(prop MainPID) != "$main" ]] && echo yes || echo no)"
in_systemd /usr/bin/systemctl stop dlpd
check "systemctl stop: a clean exit" "inactive success 0" "$(prop ActiveState) $(prop Result) $(prop ExecMainStatus)"
in_systemd /usr/bin/systemd-analyze security dlpd 2>&1 | tail -n 1
echo "$failed failed"
[[ $failed -eq 0 ]]
