#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's shell commands that only make sense on a build host (install the build dependencies, build
# the package, build by hand, the benchmarks) are run by CI stages, not by this test: here, every such line
# of the README, read from the README itself, must be the command line a stage runs, the build directory
# spelled as that stage's variable. A README line no stage is known to run fails, and so does a stage that
# no longer runs the README's line. The README's other examples run under PID 1 (test/units, case
# 50-doc-examples; test/services).
# Usage: test-readme-commands.sh SOURCE_DIR
set -u
SRC=$1
. "$SRC/test/docs/extract.sh"
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [[ -n ${2:-} ]] && sed 's/^/# /' <<< "$2"; }

# agree LINE FILE VAR: FILE runs LINE, its build directory argument "build" spelled VAR there.
agree() {
        local want
        want=$(sed -E "s/(^| )build( |$)/\1$3\2/g" <<< "$1")
        if grep -qF -- "$want" "$SRC/$2"; then
                ok "README: \"$1\" is run by $2"
        else
                not_ok "README: \"$1\" is run by $2" "expected $2 to contain: $want"
        fi
}

# The apt line installs the two packages from the parent directory; the package stage installs the same
# two files with apt-get, from its own output directory.
agree_apt() {
        local globs line
        globs=$(grep -oE '[^ /]+_\*\.deb' <<< "$1")
        line=$(grep -E 'apt-get install' "$SRC/test/package/lifecycle.sh" | head -n 1)
        for g in $globs; do
                grep -qF -- "/$g" <<< "$line" || { not_ok "README: \"$1\" is run by test/package/lifecycle.sh" "no $g in: $line"; return; }
        done
        [[ -n $globs && $1 == "apt install "* ]] && ok "README: \"$1\" is run by test/package/lifecycle.sh (apt-get, the same packages)" ||
                not_ok "README: \"$1\" is run by test/package/lifecycle.sh" "expected apt install of *_*.deb files"
}

# check_block TEXT: every command line of the README block after the line starting with TEXT.
check_block() {
        local block line
        block=$(markdown_example "$SRC/README.md" "$1") || { not_ok "README: a block after \"$1\"" "$block"; return; }
        while IFS= read -r line; do
                line=$(sed -E 's/[[:space:]]+#.*$//; s/[[:space:]]+$//' <<< "$line")
                [[ -z $line ]] && continue
                case $line in
                "bash .ci/install-deps") agree "$line" test/run-all.sh build ;;
                "dpkg-buildpackage -b -us -uc") agree "$line" test/package/build.sh build ;;
                "apt install "*) agree_apt "$line" ;;
                "meson setup build && ninja -C build && meson test -C build")
                        agree "meson setup build" test/run-all.sh '"$build"'
                        agree "ninja -C build" test/run-all.sh '"$build"'
                        agree "meson test -C build" test/meson-tests.sh '"$build"' ;;
                "meson install -C build") agree "$line" test/units/stage.sh '"$BUILD"' ;;
                "bash bench/run.sh build "*) agree "$line" test/run-all.sh '"$1"' ;;
                "bash .ci/run") agree "exec bash test/run-all.sh" .ci/run x ;;
                "bash demo/run.sh") agree "stage demo bash -c 'bash demo/run.sh &&" test/run-all.sh x ;;
                *) not_ok "README: \"$line\" is run by a CI stage" "no stage is known to run it: add it to $0" ;;
                esac
        done <<< "$block"
}

check_block "On a fresh Debian 12 machine"
check_block "As a Debian package"
check_block "## Building by hand"
check_block 'this, stage "bench"'

echo "1..$n"
exit $((failed > 0))
