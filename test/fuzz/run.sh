#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the libFuzzer targets with clang, ASan and UBSan in their own build directory and runs each for
# a bounded time (default 60 s, or $1). Exits non-zero on any crash, leak or sanitizer report.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
seconds=${1:-60}

if [ ! -f "$build/build.ninja" ]; then
        CC=clang CFLAGS="-fsanitize=fuzzer-no-link -fno-omit-frame-pointer" \
                meson setup "$build" "$src" -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
                -Dbuildtype=debugoptimized
fi
ninja -C "$build" test/fuzz/fuzz-unit-file

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1

for target in fuzz-unit-file; do
        corpus=$(mktemp -d)
        trap 'rm -rf "$corpus"' EXIT
        cp "$src/test/fuzz/corpus/"* "$corpus/"
        echo "== $target: ${seconds}s"
        "$build/test/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
                -print_final_stats=1 "$corpus"
done
