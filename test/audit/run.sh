#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR: denials and suggest on a whole booted system, where the kernel's audit records reach
# the journal (nspawn containers never get them). Boots Debian sid (systemd 262) with nginx and
# redis-server under QEMU/TCG on sid's 7.2 kernel (Landlock ABI 10) with audit=1: a too-tight unit's
# denial, attributed to its unit and command (also as it comes, --follow); LandlockLog=no said; then the
# learning loop of systemd-landlock(1) for nginx and redis-server, from LandlockReadOnlyPaths=/usr and
# LandlockAllowCommand=yes alone, at most 8 rounds each, until each does its job with no denial (the
# rounds and the final policies are printed); each shipped profile (nginx, redis-server, postgresql@,
# memcached, unbound, chrony) enabled with "systemd-landlock profile enable", through start, its job,
# reload, restart and stop, with not one denial while denials can be seen; then, without journald's audit socket and with audit
# switched off (what "auditctl -e 0" does), denials, security and suggest say so and what to do.
# The root is test/systemd-matrix/make-root.sh's sid root with test/services/packages (cached in
# .cache/roots/sid-services, used read-only: it is copied), the project installed into the copy, made
# into an ext4 image. Results come back as TAP on the guest's second serial port.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR}")
CACHE=${LLTEST_ROOT_CACHE:-$SRC/.cache/roots}
KERNELS=$SRC/.cache/kernels/sid
WORK=$BUILD/audit-test
TIMEOUT=${AUDIT_TEST_TIMEOUT:-900}
ROOT=$CACHE/sid-services

die() { echo "audit: $*" >&2; echo "audit: 0 passed, 1 failed"; exit 1; }
[[ $(id -u) == 0 ]] || die "must run as root"
start=$SECONDS

"$SRC/test/systemd-matrix/make-root.sh" sid "$ROOT" "$(grep -v '^#' "$SRC/test/services/packages" | paste -sd,)" ||
        die "no sid root with the services"
kernel=$(ls "$KERNELS"/vmlinuz-7.2* 2>/dev/null | grep -v '\.\(source\|tmp\)$' | sort -V | tail -n1)
if [[ -z $kernel ]]; then
        bash "$SRC/test/qemu/run.sh" --fetch-only >/dev/null || die "cannot fetch sid's 7.2 kernel"
        kernel=$(ls "$KERNELS"/vmlinuz-7.2* | grep -v '\.\(source\|tmp\)$' | sort -V | tail -n1)
fi

# The project, installed as a distribution would (same options as test/units/stage.sh).
quiet() { local log; log=$(mktemp); "$@" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }; rm -f "$log"; }
OPTIONS=(--prefix=/usr -Dsystemgeneratordir=/usr/lib/systemd/system-generators
         -Dusergeneratordir=/usr/lib/systemd/user-generators -Dsystemunitdir=/usr/lib/systemd/system)
if [[ -e $BUILD/build.ninja ]]; then
        quiet meson configure "$BUILD" "${OPTIONS[@]}" || die "meson configure failed"
else
        quiet meson setup "$BUILD" "$SRC" "${OPTIONS[@]}" || die "meson setup failed"
fi
quiet ninja -C "$BUILD" || die "build failed"

rm -rf "$WORK"
mkdir -p "$WORK"
r=$WORK/root
cp -a "$ROOT" "$r" || die "cannot copy $ROOT"
quiet meson install -C "$BUILD" --no-rebuild --destdir "$r" || die "meson install failed"

echo "/dev/nvme0n1 / ext4 rw 0 1" > "$r/etc/fstab"
# journald takes the kernel's audit records only with this socket (not enabled by default in 262).
for w in sockets.target.wants systemd-journald.service.wants; do
        mkdir -p "$r/etc/systemd/system/$w"
        ln -sfn /usr/lib/systemd/system/systemd-journald-audit.socket "$r/etc/systemd/system/$w/"
done
# The profiled services start when the test starts them (each with its profile), not at boot, which under
# TCG would only be slower; postgresql.service (the umbrella) is not needed for postgresql@VERSION-main.
rm -f "$r"/etc/systemd/system/multi-user.target.wants/{unbound,chrony,memcached}.service
# The guest has no network card: nothing waits for a network, and no getty waits for a serial device;
# unbound-resolvconf would point the guest's resolv.conf at unbound.
for s in postgresql.service unbound-resolvconf.service systemd-networkd-wait-online.service \
         serial-getty@ttyS0.service serial-getty@ttyS1.service getty@tty1.service; do
        ln -sfn /dev/null "$r/etc/systemd/system/$s"
done
install -D -m 0755 "$SRC/test/audit/inside.sh" "$r/usr/lib/lltest/inside.sh"
cc -O2 -Wall -Wextra -static -o "$r/usr/lib/lltest/audit-enable" "$SRC/test/audit/audit-enable.c" ||
        die "cannot build audit-enable"
cat > "$r/etc/systemd/system/lltest-audit.service" <<'UNIT'
[Unit]
Description=systemd-landlock denials and suggest test
After=multi-user.target nginx.service redis-server.service systemd-journald-audit.socket

[Service]
Type=simple
ExecStart=/usr/lib/lltest/inside.sh
StandardOutput=journal+console
StandardError=journal+console
UNIT
mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
ln -sfn ../lltest-audit.service "$r/etc/systemd/system/multi-user.target.wants/"

img=$WORK/root.img
quiet mkfs.ext4 -q -d "$r" "$img" 3G || die "mkfs.ext4 failed"
rm -rf "$r"

total_pass=0 total_fail=0
boot() {
        local mode=$1 cmdline=$2 out=$WORK/$1 t0=$SECONDS
        mkdir -p "$out"
        : > "$out/results.tap"
        timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 2048 -smp 2 -nographic -no-reboot -nic none \
                -kernel "$kernel" \
                -drive "file=$img,if=none,id=d0,format=raw,snapshot=on" -device nvme,drive=d0,serial=lltest \
                -append "console=ttyS0 root=/dev/nvme0n1 rootfstype=ext4 rw panic=-1 loglevel=4 systemd.firstboot=no systemd.show_status=no $cmdline" \
                -serial "file:$out/console.log" -serial "file:$out/results.tap" \
                > "$out/qemu.log" 2>&1
        local rc=$? pass fail
        tr -d '\r' < "$out/results.tap" > "$out/tap"
        echo "=== boot $mode ($cmdline): $((SECONDS - t0)) s, QEMU exit status $rc"
        cat "$out/tap"
        pass=$(grep -c '^ok ' "$out/tap")
        fail=$(grep -c '^not ok ' "$out/tap")
        if ! grep -q '^# lltest-done' "$out/tap"; then
                echo "audit: the $mode boot did not report completion; console tail:"
                tail -n 40 "$out/console.log"
                fail=$((fail + 1))
        fi
        total_pass=$((total_pass + pass))
        total_fail=$((total_fail + fail))
}

boot audit audit=1

echo "audit: stage wall time $((SECONDS - start)) s"
echo "audit: $total_pass passed, $total_fail failed"
[[ $total_fail == 0 ]]
