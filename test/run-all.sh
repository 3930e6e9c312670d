#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The whole test suite, as root on Debian 12: installs what it needs, builds, then runs
#   1. unit + kernel tests (meson: pure logic, and real Landlock on this kernel), and the enforcer's
#      tests and the preloaded-threads integration case again with a dynamically linked enforcer
#      (-Dstatic-enforcer=false), and the enforcer's tests with the static enforcer linked with glibc
#      instead of musl (-Denforcer-libc=glibc)
#   2. the same unit and kernel suites built with ASan+UBSan, every finding fatal
#   3. the fuzzers: the committed corpus replayed, then a fixed-seed run of fixed length (deterministic)
#   4. the integration suite under a real systemd 252 PID 1 (nspawn), and demo/run.sh (the README's first
#      command)
#   5. the same suite under systemd 257 and 262 (debootstrapped roots), and systemd-analyze of 252, 257
#      and 262 against our reader and lookup (oracle.sh)
#   6. the differential test: adversarial unit trees under 252, 257 and 262, PID 1's view of every
#      command against the probe's and against PID 1's view without the generator
#   7. the QEMU kernel matrix (Landlock ABI 2, 6, 10, 11, and disabled)
#   8. bench/run.sh without its containers and QEMU boot, once (it runs; no time is asserted)
#   9. the Debian package: built, lintian, the integration suite against the installed package under 257
#      and 262, and install, upgrade, removal and purge under 252, 257 and 262
#   9. denials and suggest on a whole system booted under QEMU (sid, systemd 262, kernel 7.2, audit on
#      and off): attribution of a denial, and the learning loop for nginx and redis-server
#  10. the shipped profiles on real Debian services (nginx, redis, postgresql, memcached, unbound,
#      chrony) under systemd 252 and 262
# Each stage ends with an "N passed, N failed" line; the last line sums them.
set -uo pipefail

cd "$(dirname "$0")/.."
top=$PWD
build=${BUILD_DIR:-$top/build-ci}
logs=$build/stage-logs
export CI=${CI:-true}

bash .ci/install-deps || { echo "Failed to install dependencies."; exit 1; }

if [ ! -d "$build" ]; then
        meson setup "$build" -Dwerror=true || exit 1
fi
ninja -C "$build" || { echo "Build failed."; exit 1; }
mkdir -p "$logs"

total_pass=0
total_fail=0
failed_stages=()

# Runs one stage, shows its output, and adds its closing "N passed, N failed" line to the totals.
# A stage that exits non-zero, or prints no such line, counts as failed.
stage() {
        local name=$1; shift
        local log=$logs/$name.log start=$SECONDS

        echo "=== $name: $*"
        "$@" 2>&1 | tee "$log"
        local rc=${PIPESTATUS[0]}
        local line
        line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1)
        if [ -z "$line" ]; then
                echo "=== $name: no result line (exit status $rc)"
                failed_stages+=("$name")
                total_fail=$((total_fail + 1))
                return
        fi
        local p f
        p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
        f=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/' <<<"$line")
        total_pass=$((total_pass + p))
        total_fail=$((total_fail + f))
        if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
                failed_stages+=("$name")
                [ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
        fi
        echo "=== $name: $p passed, $f failed, exit status $rc, $((SECONDS - start)) s"
}

stage meson bash test/meson-tests.sh "$build"
stage dynamic-enforcer bash test/exec/dynamic-build.sh "$build-dynamic"
stage glibc-enforcer bash test/exec/glibc-build.sh "$build-glibc"
stage sanitize bash test/sanitize.sh "$build-san"
stage fuzz bash test/fuzz/run.sh
stage integration bash test/units/run.sh "$build"
# The README's first command: the demo boots the host's 252 and fails unless its service is confined.
stage demo bash -c 'bash demo/run.sh && echo "demo: 1 passed, 0 failed" || echo "demo: 0 passed, 1 failed"'
# The host's 252 was booted by the integration stage already.
stage systemd-matrix bash test/systemd-matrix/run.sh "$build" trixie sid
stage oracle bash test/systemd-matrix/oracle.sh "$build" host trixie sid
stage differential bash test/differential/run.sh "$build"
stage qemu bash test/qemu/run.sh "$build"
# The benchmarks that run on the host, once: not timed, only that bench/run.sh still runs (README).
stage bench bash -c 'bash bench/run.sh "$1" --no-qemu --no-containers --reps=1 && echo "bench: 1 passed, 0 failed" ||
                     echo "bench: 0 passed, 1 failed"' _ "$build"
stage package bash test/package/run.sh "$build"
stage audit bash test/audit/run.sh "$build"
stage services bash test/services/run.sh "$build" bookworm sid

echo
if [ ${#failed_stages[@]} -gt 0 ]; then
        echo "Failed stages: ${failed_stages[*]}"
fi
echo "Total time: $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ ${#failed_stages[@]} -eq 0 ]
