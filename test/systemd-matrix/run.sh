#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR [SUITE…]: the test/units integration suite under several systemd versions as PID 1,
# one container boot each, booted by the host's systemd-nspawn:
#   host    systemd 252, the host's own (Debian 12)
#   trixie  systemd 257: services are exec'd by systemd-executor, @system-service has the Landlock calls
#   sid     systemd 262: cgroup v2 only
# Roots are built once with debootstrap and cached in .cache/roots/SUITE (git ignores .cache).
# Prints one summary line per version and exits non-zero if any version failed.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR [host|trixie|sid…]}")
shift
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(host trixie sid)
CACHE=${LLTEST_ROOT_CACHE:-$SRC/.cache/roots}

declare -A summary
rc=0 total_pass=0 total_fail=0
for suite in "${SUITES[@]}"; do
        echo "=== $suite"
        if [[ $suite == host ]]; then
                root=/
        else
                root=$CACHE/$suite
                if ! "$SRC/test/systemd-matrix/make-root.sh" "$suite" "$root"; then
                        summary[$suite]="no root filesystem (debootstrap failed)"
                        total_fail=$((total_fail + 1))
                        rc=1
                        continue
                fi
        fi
        results=$BUILD/lltest-results-$suite
        LLTEST_RESULTS=$results "$SRC/test/units/run.sh" "$BUILD" "$root" || rc=1
        version=$(sed -n 's/^# systemd \([0-9]*\).*/\1/p' "$results/tap" 2>/dev/null | head -n 1)
        if [[ -e $results/tap ]]; then
                pass=$(grep -c '^ok ' "$results/tap")
                fail=$(grep -c '^not ok ' "$results/tap")
                summary[$suite]="systemd ${version:-?}: $pass passed, $fail failed$(grep -q '^# lltest-done' "$results/tap" || echo ", the container did not report")"
                grep -q '^# lltest-done' "$results/tap" || fail=$((fail + 1))
        else
                summary[$suite]="not run (building or staging failed)"
                pass=0 fail=1
        fi
        total_pass=$((total_pass + pass))
        total_fail=$((total_fail + fail))
done

echo "=== systemd version matrix"
for suite in "${SUITES[@]}"; do
        printf '%-8s %s\n' "$suite" "${summary[$suite]}"
done
echo "systemd-matrix: $total_pass passed, $total_fail failed"
exit $rc
