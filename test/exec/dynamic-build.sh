#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# dynamic-build.sh BUILD_DIR: the other build of the enforcer. Configures BUILD_DIR (created if needed)
# with -Dstatic-enforcer=false, builds it, and runs what depends on how the enforcer is linked: there,
# libraries preloaded with $LD_PRELOAD or /etc/ld.so.preload load into the enforcer before its main(), and
# LandlockProcessWide= must restrict the threads they start.
#   - the meson test exec-enforcer (test-exec-enforcer.c knows the build from the option);
#   - as root, the integration case 14-preload-threads under the host's systemd (test/units/run.sh).
# Ends with one "dynamic-enforcer: N passed, N failed" line summing both.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:?usage: dynamic-build.sh BUILD_DIR}

STAGE=dynamic-enforcer
source "$SRC/test/exec/build-variant.sh"
build_variant "$BUILD" -Dstatic-enforcer=false

log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0

bash "$SRC/test/meson-tests.sh" "$BUILD" exec-enforcer 2>&1 | tee "$log"
((PIPESTATUS[0] == 0)) || rc=1

if [[ $(id -u) == 0 ]]; then
        LLTEST_ONLY=14-preload-threads bash "$SRC/test/units/run.sh" "$BUILD" 2>&1 | tee -a "$log"
        ((PIPESTATUS[0] == 0)) || rc=1
else
        echo "not root: the integration case is not run"
        rc=1
fi

# Every "N passed, N failed" line above, summed.
read -r passed failed < <(sed -nE 's/^([A-Za-z-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/p' "$log" |
                          awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }')
((rc == 0 || failed > 0)) || failed=1
echo "dynamic-enforcer: $passed passed, $failed failed"
exit $rc
