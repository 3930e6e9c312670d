#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR ROOT: the shipped profiles (units/profiles) on the real Debian services of ROOT, a root
# built by test/systemd-matrix/make-root.sh with the packages of test/services/packages. Stages the
# project over the root's /usr as test/units does, boots it (read-only: --volatile=overlay) with a private
# network, and lltest-services.service runs runner.sh: for each service, its real job, then the profile
# enabled with "systemd-landlock profile enable", start/reload/restart/stop/daemon-reload, a denied access
# through the service itself, the security scores before and after, and the start time confined against
# unconfined. Prints each result and "N passed, N failed"; the measurements go to the log.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR ROOT}")
ROOT=${2:?usage: run.sh BUILD_DIR ROOT}
TIMEOUT=${LLTEST_TIMEOUT:-900}

[[ $(id -u) == 0 ]] || { echo "run.sh: must run as root (it boots a container)" >&2; exit 1; }
[[ -x $ROOT/usr/sbin/nginx ]] || { echo "run.sh: $ROOT has no services; build it with make-root.sh and test/services/packages" >&2; exit 1; }

name=$(basename "$ROOT")
STAGE=$BUILD/services-stage-$name
RESULTS=$BUILD/services-results-$name
"$SRC/test/units/stage.sh" "$BUILD" "$STAGE" || { echo "run.sh: building or staging failed" >&2; exit 1; }
T=$STAGE/usr/lib/systemd-landlock-tests/services
mkdir -p "$T" "$STAGE/usr/lib/systemd/system/multi-user.target.wants"
install -m 0755 "$HERE/runner.sh" "$T/"
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
# A private network: the services bind their usual ports, which the host or another container may use.
"$SRC/test/units/boot.sh" "$STAGE" "$ROOT" "$RESULTS" "$TIMEOUT" --private-network > "$RESULTS/console.log" 2>&1
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
echo "services ($name): $passed passed, $failed failed"
[[ $failed == 0 ]]
