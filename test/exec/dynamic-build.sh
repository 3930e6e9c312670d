#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# dynamic-build.sh BUILD_DIR: the other build of the enforcer. Configures BUILD_DIR (created if needed)
# with -Dstatic-enforcer=false, builds it, and runs the tests that depend on how the enforcer is linked:
# there, libraries preloaded with $LD_PRELOAD or /etc/ld.so.preload load into the enforcer before its
# main(), and LandlockProcessWide= must restrict the threads they start (test-exec-enforcer.c knows which
# build it tests from the option). Ends with the "N passed, N failed" line of test/meson-tests.sh.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:?usage: dynamic-build.sh BUILD_DIR}

if [[ -e $BUILD/build.ninja ]]; then
        meson configure "$BUILD" -Dstatic-enforcer=false || exit 1
else
        meson setup "$BUILD" "$SRC" -Dstatic-enforcer=false || exit 1
fi
ninja -C "$BUILD" || { echo "dynamic-build.sh: build failed"; echo "0 passed, 1 failed"; exit 1; }

exec bash "$SRC/test/meson-tests.sh" "$BUILD" exec-enforcer
