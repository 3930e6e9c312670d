#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the libFuzzer targets with clang, ASan and UBSan in their own build directory and runs each for
# a bounded time (default 60 s, or $1). Exits non-zero on any crash, leak or sanitizer report.
set -uo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
seconds=${1:-60}

if [ ! -f "$build/build.ninja" ]; then
        CC=clang CFLAGS="-fsanitize=fuzzer-no-link -fno-omit-frame-pointer" \
                meson setup "$build" "$src" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
                -Dbuildtype=debugoptimized || { echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi
ninja -C "$build" test/fuzz/fuzz-unit-file || { echo "fuzz: 0 passed, 1 failed"; exit 1; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1

case $seconds in
''|*[!0-9]*) echo "Usage: run.sh [SECONDS]" >&2; exit 2 ;;
esac

passed=0 failed=0
for target in fuzz-unit-file; do
        corpus=$(mktemp -d)
        trap 'rm -rf "$corpus"' EXIT
        cp "$src/test/fuzz/corpus/"* "$corpus/"
        echo "== $target: ${seconds}s"
        if "$build/test/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
                -print_final_stats=1 "$corpus" 2>&1 | grep -v -E '^#[0-9]+\s+(NEW|REDUCE|pulse)'; then
                echo "ok - $target: no crash, leak or sanitizer report in ${seconds}s"
                passed=$((passed + 1))
        else
                echo "not ok - $target"
                failed=$((failed + 1))
        fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
