#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The meson suites ("unit" and "kernel") once more, built with clang, AddressSanitizer (LeakSanitizer
# included) and UndefinedBehaviorSanitizer in a build directory of their own (default build-san, or $1).
# Every finding is fatal: UBSan is compiled without recovery, ASan halts on the first error, leaks fail
# the exit. test/sanitizer proves that on purpose-made bugs. Ends with "sanitize: N passed, N failed".
#
# Programs the tests run under Landlock are built without sanitizers (test/meson.build says why).
set -uo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-san}

fail() {
        echo "$*"
        echo "sanitize: 0 passed, 1 failed"
        exit 1
}

# The sanitizer runtimes cannot be linked statically: this build's enforcer is the dynamic one (the static
# one is the plain build's, tested by the meson stage).
options=(-Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false -Dstatic-enforcer=false
         "-Dc_args=-fno-sanitize-recover=all -fno-omit-frame-pointer" -Dc_link_args=-fno-sanitize-recover=all)
if [ -f "$build/build.ninja" ]; then
        meson configure "$build" "${options[@]}" >/dev/null || fail "Failed to configure $build."
else
        CC=clang meson setup "$build" "$src" "${options[@]}" >/dev/null || fail "Failed to set up $build."
fi
ninja -C "$build" -j2 >/dev/null || { ninja -C "$build" -j1; fail "Failed to build $build."; }

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
MESON_TESTS_LABEL=sanitize exec bash "$src/test/meson-tests.sh" "$build"
