#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR SUITE…: the shipped profiles (units/profiles) on the real Debian services of a root per
# SUITE (bookworm: systemd 252, sid: 262), built once by test/systemd-matrix/make-root.sh with the packages
# of test/services/packages and cached in .cache/roots/SUITE-services (a SUITE that is an absolute path is
# taken as the root itself). For each root: stages the project over its /usr as test/units does, boots it
# (read-only: --volatile=overlay) with a private network, and lltest-services.service runs runner.sh: for
# each service, its real job, then the profile enabled with "systemd-landlock profile enable",
# start/reload/restart/stop/daemon-reload, a denied access through the service itself, the security
# scores before and after, and the start time confined against unconfined ("# measure" lines). Prints
# each result and "services: N passed, N failed". LLTEST_ONLY=SUBSTRING runs only the matching services.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR SUITE…}")
shift
[[ $# -gt 0 ]] || { echo "usage: run.sh BUILD_DIR SUITE…" >&2; exit 1; }
TIMEOUT=${LLTEST_TIMEOUT:-900}
CACHE=${LLTEST_ROOT_CACHE:-$SRC/.cache/roots}
PACKAGES=$(grep -v '^#' "$HERE/packages" | paste -sd,)

[[ $(id -u) == 0 ]] || { echo "run.sh: must run as root (it boots a container)" >&2; exit 1; }

total_passed=0
total_failed=0

# run_root ROOT: one boot; adds to the totals.
run_root() {
        local ROOT=$1 name STAGE RESULTS T u boot_rc passed failed
        name=$(basename "$ROOT")
        STAGE=$BUILD/services-stage-$name
        RESULTS=$BUILD/services-results-$name
        "$SRC/test/units/stage.sh" "$BUILD" "$STAGE" || { echo "not ok - building or staging for $name failed"; total_failed=$((total_failed + 1)); return; }
        T=$STAGE/usr/lib/systemd-landlock-tests/services
        mkdir -p "$T" "$STAGE/usr/lib/systemd/system/multi-user.target.wants"
        install -m 0755 "$HERE/runner.sh" "$T/"
        # The man page whose examples the runner installs as written.
        install -m 0644 "$SRC/man/systemd.landlock.5.in" "$T/"
        install -m 0644 "$HERE/lltest-services.service" "$STAGE/usr/lib/systemd/system/"
        ln -sfn ../lltest-services.service "$STAGE/usr/lib/systemd/system/multi-user.target.wants/"
        # chrony-wait.service and systemd-networkd-wait-online.service hold the boot for minutes waiting for a
        # time source and a routable network, which a private network never has; masked (our /usr is stacked
        # over the root's).
        for u in chrony-wait.service systemd-networkd-wait-online.service; do
                ln -sfn /dev/null "$STAGE/usr/lib/systemd/system/$u"
        done
        rm -rf "$RESULTS"
        mkdir -p "$RESULTS"
        : > "$RESULTS/tap"
        # LLTEST_ONLY=SUBSTRING: only the services whose name matches.
        [[ -n ${LLTEST_ONLY:-} ]] && echo "LLTEST_ONLY=$LLTEST_ONLY" > "$RESULTS/env"

        echo "run.sh: booting $ROOT with the staged build…"
        # boot.sh gives it a private network: the services bind their usual ports, which the host or
        # another container may use.
        "$SRC/test/units/boot.sh" "$STAGE" "$ROOT" "$RESULTS" "$TIMEOUT" > "$RESULTS/console.log" 2>&1
        boot_rc=$?

        grep -v '^#   ' "$RESULTS/tap" | grep -E '^(ok|not ok|# )' || true
        if grep -q '^not ok' "$RESULTS/tap"; then
                echo
                echo "Diagnostics of the failed checks:"
                awk '/^not ok/ { show = 1; print; next } /^ok / { show = 0 } show && /^#   / { print }' "$RESULTS/tap"
        fi

        passed=$(grep -c '^ok ' "$RESULTS/tap")
        failed=$(grep -c '^not ok ' "$RESULTS/tap")
        if ! grep -q '^# lltest-done' "$RESULTS/tap"; then
                echo "run.sh: the container did not report completion (nspawn exit status $boot_rc); console tail:" >&2
                tail -n 60 "$RESULTS/console.log" >&2
                failed=$((failed + 1))
        fi
        echo "$name: $passed passed, $failed failed"
        total_passed=$((total_passed + passed))
        total_failed=$((total_failed + failed))
}

for suite in "$@"; do
        if [[ $suite == /* ]]; then
                root=$suite
        else
                root=$CACHE/$suite-services
                if ! "$SRC/test/systemd-matrix/make-root.sh" "$suite" "$root" "$PACKAGES"; then
                        echo "not ok - building the $suite root with the services failed"
                        total_failed=$((total_failed + 1))
                        continue
                fi
        fi
        run_root "$root"
done
echo "services: $total_passed passed, $total_failed failed"
[[ $total_failed == 0 ]]
