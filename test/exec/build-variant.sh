# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by glibc-build.sh and dynamic-build.sh, which build the project once more with other options.
#   fail TEXT…                     prints TEXT and the stage's failure line ("$STAGE: 0 passed, 1 failed"), exits 1
#   build_variant BUILD OPTION…    configures BUILD with the options (set up from $SRC if it does not exist
#                                  yet) and builds it, or fails
# $STAGE (the stage's name) and $SRC (the source tree) are set by the script sourcing this.

fail() {
        echo "$(basename "$0"): $*"
        echo "$STAGE: 0 passed, 1 failed"
        exit 1
}

build_variant() {
        local build=$1
        shift
        if [[ -e $build/build.ninja ]]; then
                meson configure "$build" "$@" || fail "meson configure failed"
        else
                meson setup "$build" "$SRC" "$@" || fail "meson setup failed"
        fi
        ninja -C "$build" || fail "build failed"
}
