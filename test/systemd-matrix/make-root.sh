#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# make-root.sh SUITE DIR [EXTRA_PACKAGES]: a minimal Debian SUITE root with systemd as init, built once
# with debootstrap from the archive this machine's apt already uses, and reused while
# DIR/.lltest-root-complete names the same package list. EXTRA_PACKAGES (comma-separated) are added to
# the list: roots with real services (nginx, redis-server, …) are built apart, in their own DIR, so that
# the matrix roots stay minimal.
set -euo pipefail

SUITE=$1
DIR=$2
EXTRA=${3:-}

# systemd as PID 1, plus the shared libraries the project's binaries link (the CLI: libsystemd0 and
# libjson-c5, which trixie's and sid's systemd do not pull in) and libcap2 (sid's systemd no longer pulls
# it in). A root built with another list is rebuilt.
PACKAGES=systemd,systemd-sysv,dbus,libcap2,libsystemd0,libjson-c5${EXTRA:+,$EXTRA}

[[ $(cat "$DIR/.lltest-root-complete" 2>/dev/null) == "$PACKAGES" ]] && exit 0

# Several test runs share the cache: the first one builds, the others wait for it and reuse its root.
mkdir -p "$(dirname "$DIR")"
exec 9> "$DIR.lock"
flock 9
[[ $(cat "$DIR/.lltest-root-complete" 2>/dev/null) == "$PACKAGES" ]] && exit 0

MIRROR=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources | head -n 1)
[[ -n $MIRROR ]] || { echo "make-root.sh: no URIs: line in /etc/apt/sources.list.d/debian.sources" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "make-root.sh: debootstrap is not installed" >&2; exit 1; }

rm -rf "$DIR.partial"
mkdir -p "$(dirname "$DIR")"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$DIR.partial" "$MIRROR" \
        > "$DIR.debootstrap.log" 2>&1 || {
        tail -n 30 "$DIR.debootstrap.log" >&2
        echo "make-root.sh: debootstrap of $SUITE failed" >&2
        exit 1
}
# No host name or machine id baked in: every boot is a first boot on a volatile overlay.
rm -f "$DIR.partial/etc/hostname" "$DIR.partial/etc/machine-id"
echo "$PACKAGES" > "$DIR.partial/.lltest-root-complete"
rm -rf "$DIR"
mv "$DIR.partial" "$DIR"
