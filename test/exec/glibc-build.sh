#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# glibc-build.sh BUILD_DIR: the static enforcer linked with glibc instead of musl (-Denforcer-libc=glibc,
# what a machine without musl-gcc builds). Configures BUILD_DIR (created if needed), builds it, and runs
# the enforcer's meson tests against it: exec-enforcer (the real enforcer on this kernel, that it is
# static among them) and cli-run. Ends with one "glibc-enforcer: N passed, N failed" line.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:?usage: glibc-build.sh BUILD_DIR}

STAGE=glibc-enforcer
source "$SRC/test/exec/build-variant.sh"
build_variant "$BUILD" -Denforcer-libc=glibc -Dwerror=true
# The option must have taken: glibc's start files give the program an ABI tag note, musl's do not.
readelf -n "$BUILD/src/core/systemd-landlock-exec" | grep -q NT_GNU_ABI_TAG || fail "the enforcer in $BUILD is not linked with glibc"

MESON_TESTS_LABEL=glibc-enforcer exec bash "$SRC/test/meson-tests.sh" "$BUILD" exec-enforcer cli-run
