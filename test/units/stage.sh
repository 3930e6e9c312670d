#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# stage.sh BUILD_DIR STAGE: build the project for /usr with systemd's generator directories, install it
# into STAGE, and add the integration suite's payload (units, case scripts, helper binaries) under
# STAGE/usr, ready to be stacked over a container's /usr. Used by run.sh, demo/run.sh and the
# systemd version matrix. With LLTEST_INSTALL=package, only the payload: the project comes from the
# Debian package installed in the root (test/package/run.sh).
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$1
STAGE=$2
HERE=$SRC/test/units
T=$STAGE/usr/lib/systemd-landlock-tests

OPTIONS=(
        --prefix=/usr
        -Dsystemgeneratordir=/usr/lib/systemd/system-generators
        -Dusergeneratordir=/usr/lib/systemd/user-generators
        -Dsystemunitdir=/usr/lib/systemd/system
)

# Quiet on success, the whole output on failure.
quiet() {
        local log
        log=$(mktemp)
        "$@" > "$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; echo "stage.sh: failed: $*" >&2; return 1; }
        rm -f "$log"
}

if [[ -e $BUILD/build.ninja ]]; then
        quiet meson configure "$BUILD" "${OPTIONS[@]}"
else
        quiet meson setup "$BUILD" "$SRC" "${OPTIONS[@]}"
fi
quiet ninja -C "$BUILD"

rm -rf "$STAGE"
if [[ ${LLTEST_INSTALL:-meson} == package ]]; then
        mkdir -p "$STAGE/usr"
else
        quiet meson install -C "$BUILD" --no-rebuild --destdir "$STAGE"
fi

mkdir -p "$T/cases" "$STAGE/usr/lib/systemd/system" "$STAGE/usr/lib/systemd/user" "$STAGE/usr/lib/sysusers.d"
# Static: the probe runs in RootDirectory= trees and is granted as a single file by LandlockAllowCommand=.
cc -O2 -Wall -Wextra -static -o "$T/lltest-probe" "$HERE/helpers/lltest-probe.c"
# Dynamic: the command a preloaded library loads into.
cc -O2 -Wall -Wextra -o "$T/lltest-probe-dynamic" "$HERE/helpers/lltest-probe.c"
cc -O2 -Wall -Wextra -shared -fPIC -pthread -o "$T/libpreload-threads.so" "$HERE/helpers/preload-threads.c"
# What lltest-preload-etc.service binds over /etc/ld.so.preload in its own mount namespace.
echo "/usr/lib/systemd-landlock-tests/libpreload-threads.so" > "$T/ld.so.preload"
# How the enforcer was built decides what case 14 expects (static: preloaded libraries never load into it).
meson introspect --buildoptions "$BUILD" |
        python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "static-enforcer") and "static" or "dynamic")' \
        > "$T/enforcer-linking"
# The stand-in for the programs the documentation's examples name (case 50-doc-examples), and the documents
# whose examples that case takes as they are printed.
mkdir -p "$STAGE/usr/bin" "$T/docs"
cc -O2 -Wall -Wextra -o "$STAGE/usr/bin/myd" "$HERE/helpers/myd.c"
cp "$STAGE/usr/bin/myd" "$STAGE/usr/bin/mydaemon"
install -m 0644 "$SRC/README.md" "$SRC"/man/*.in "$SRC/man/systemd-landlock-generator.8" "$SRC/test/docs/extract.sh" "$T/docs/"
install -m 0644 "$HERE/lib.sh" "$HERE/lib-adv.sh" "$T/"
install -m 0755 "$HERE/runner.sh" "$T/"
install -m 0644 "$HERE"/cases/*.sh "$T/cases/"
cp -r "$HERE"/units/. "$STAGE/usr/lib/systemd/system/"
install -m 0644 "$HERE"/user-units/* "$STAGE/usr/lib/systemd/user/"
install -m 0644 "$HERE/lltest-runner.service" "$STAGE/usr/lib/systemd/system/"
install -m 0644 "$HERE/lltest.sysusers" "$STAGE/usr/lib/sysusers.d/lltest.conf"

# The root of lltest-rootdir.service: its own /etc and /data, the container's /usr bound in by the
# unit, and mount points for what systemd mounts there (the staged tree is read-only in the container).
R=$T/rootdir
mkdir -p "$R"/{usr,proc,sys,dev,run,tmp,var/tmp,etc/lltest,data/ok,data/denied}
for l in bin lib lib64 sbin; do ln -sfn "usr/$l" "$R/$l"; done
echo "secret of the service's own root" > "$R/etc/lltest/secret"
echo ok > "$R/data/ok/file"
echo denied > "$R/data/denied/file"
