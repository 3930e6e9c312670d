#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR: the Debian package, built and tested the way it is installed:
#   1. build.sh: dpkg-buildpackage -b -us -uc, twice (the package, and a rebuild with a newer version)
#   2. lintian on the binary and source packages: no error, no warning (pedantic and experimental tags
#      shown)
#   3. the integration suite (test/units) under systemd 257 (trixie) and 262 (sid), the project coming
#      from the package installed with "apt install ./….deb" into a copy of the matrix root, not from
#      meson install
#   4. the life cycle (lifecycle.sh) in a booted container of Debian 12 (systemd 252, the host's; nspawn
#      cannot overlay the host's own / writably, so a debootstrapped bookworm root like the matrix ones),
#      trixie and sid: install, enabled unit confined, upgrade, still confined, removal refuses the unit,
#      install again, purge
# Prints one line per part and "package: N passed, N failed".
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$SRC/test/package
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR}")
CACHE=${LLTEST_ROOT_CACHE:-$SRC/.cache/roots}
TIMEOUT=${LLTEST_TIMEOUT:-900}
W=$BUILD/package
DEBS=$W/debs

[[ $(id -u) == 0 ]] || { echo "run.sh: must run as root (it boots containers)" >&2; exit 1; }

pass=0 fail=0
declare -a summary
result() {      # result OK|FAIL TEXT
        if [[ $1 == OK ]]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
        summary+=("$(printf '%-4s %s' "$1" "$2")")
        echo "=== $1 $2"
}

# count_tap FILE NAME: adds the TAP results of one container run to the totals.
count_tap() {
        local tap=$1 name=$2 p f
        p=$(grep -c '^ok ' "$tap" 2>/dev/null)
        f=$(grep -c '^not ok ' "$tap" 2>/dev/null)
        pass=$((pass + ${p:-0}))
        fail=$((fail + ${f:-0}))
        if ! grep -q '^# lltest-done' "$tap" 2>/dev/null; then
                fail=$((fail + 1))
                summary+=("FAIL $name: the container did not report")
        else
                summary+=("$(printf '%-4s %s: %s passed, %s failed' "$([[ $f == 0 ]] && echo OK || echo FAIL)" "$name" "$p" "$f")")
        fi
}

finish() {
        echo "=== package"
        printf '%s\n' "${summary[@]}"
        echo "package: $pass passed, $fail failed"
        [[ $fail == 0 ]]
        exit
}

rm -rf "$W"
mkdir -p "$W"

# 1. Build.
start=$SECONDS
if bash "$HERE/build.sh" "$DEBS"; then
        result OK "dpkg-buildpackage -b -us -uc: $(cd "$DEBS" && ls v1/*.deb v2/*.deb | xargs -n1 basename | tr '\n' ' ')($((SECONDS - start)) s)"
else
        result FAIL "dpkg-buildpackage"
        finish
fi

# 2. lintian: errors and warnings fail; overrides are listed in debian/*.lintian-overrides with why.
lintian --pedantic --display-experimental --fail-on error,warning "$DEBS"/v1/*.changes "$DEBS"/v1/*.dsc > "$W/lintian.log" 2>&1
rc=$?
out=$(grep -v 'running with root privileges' "$W/lintian.log")
[[ -n $out ]] && echo "$out"
if [[ $rc == 0 ]] && ! grep -qE '^[EW]: ' <<<"$out"; then
        result OK "lintian: no error or warning ($(grep -c '^[IPX]: ' <<<"$out") pedantic or experimental tags)"
else
        result FAIL "lintian"
fi

# 3. The integration suite against the packaged install, in copies of the matrix roots.
debs=("$DEBS"/v1/systemd-landlock_*.deb "$DEBS"/v1/systemd-landlock-tools_*.deb)
for suite in trixie sid; do
        root=$CACHE/$suite
        copy=$W/root-$suite
        if ! "$SRC/test/systemd-matrix/make-root.sh" "$suite" "$root"; then
                result FAIL "$suite: no root filesystem (debootstrap failed)"
                continue
        fi
        rm -rf "$copy"
        cp -a --reflink=auto "$root" "$copy"
        mkdir -p "$copy/mnt/lltest-debs"
        if ! systemd-nspawn -q --register=no --keep-unit -D "$copy" --bind-ro="$DEBS/v1:/mnt/lltest-debs" \
                        env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
                        "${debs[@]/#$DEBS\/v1//mnt/lltest-debs}" \
                        > "$W/install-$suite.log" 2>&1; then
                cat "$W/install-$suite.log"
                result FAIL "$suite: apt install ./….deb into the root"
                rm -rf "$copy"
                continue
        fi
        results=$W/results-$suite
        echo "=== $suite: the integration suite against the package installed in the root"
        LLTEST_INSTALL=package LLTEST_RESULTS=$results "$SRC/test/units/run.sh" "$BUILD" "$copy"
        count_tap "$results/tap" "$suite: integration suite, packaged install"
        rm -rf "$copy"
done

# 4. The life cycle in booted containers of the three roots (not modified: the container's / and /usr are
# overlays whose changes are thrown away).
stage=$W/lifecycle-stage
T=$stage/usr/lib/systemd-landlock-tests
mkdir -p "$T" "$stage/usr/lib/systemd/system/multi-user.target.wants"
cc -O2 -Wall -Wextra -static -o "$T/lltest-probe" "$SRC/test/units/helpers/lltest-probe.c"
install -m 0755 "$HERE/lifecycle.sh" "$T/"
install -m 0644 "$HERE/lltest-package-runner.service" "$stage/usr/lib/systemd/system/"
ln -s ../lltest-package-runner.service "$stage/usr/lib/systemd/system/multi-user.target.wants/"
for suite in bookworm trixie sid; do
        root=$CACHE/$suite
        "$SRC/test/systemd-matrix/make-root.sh" "$suite" "$root" || { result FAIL "$suite: no root"; continue; }
        results=$W/lifecycle-$suite
        mkdir -p "$results"
        : > "$results/tap"
        echo "=== $suite: the package's life cycle"
        LLTEST_WRITABLE_USR=1 "$SRC/test/units/boot.sh" "$stage" "$root" "$results" "$TIMEOUT" \
                --bind-ro="$DEBS:/mnt/lltest-debs" > "$results/console.log" 2>&1
        grep -E '^(ok|not ok|#)' "$results/tap"
        grep -q '^# lltest-done' "$results/tap" || tail -n 40 "$results/console.log"
        count_tap "$results/tap" "$suite: life cycle"
done

finish
