# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by run.sh and campaign.sh: fuzz_build BUILD_DIR TARGET… sets up (or updates) the fuzzing build
# directory, clang with ASan and UBSan on everything (UBSan without recovery), and builds the targets.

fuzz_build() {
        local build=$1 src
        shift
        src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

        local options=(-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
                       "-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer"
                       -Dc_link_args=-fno-sanitize-recover=all)
        local log
        log=$(mktemp)
        if [ -f "$build/build.ninja" ]; then
                meson configure "$build" "${options[@]}" >"$log" 2>&1
        else
                CC=clang meson setup "$build" "$src" "${options[@]}" >"$log" 2>&1
        fi && ninja -C "$build" -j2 "${@/#/test/fuzz/}" >>"$log" 2>&1 && { rm -f "$log"; return 0; }
        cat "$log"
        rm -f "$log"
        echo "Failed to build the fuzz targets in $build."
        return 1
}
