#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR [ROOT]: the integration suite under a real systemd PID 1. Builds and stages the
# project, boots ROOT (default "/": the host's systemd) once in a container whose lltest-runner.service
# runs every case in test/units/cases, prints each result and a summary, and exits non-zero if any case
# failed or the container did not report. LLTEST_ONLY=SUBSTRING runs only the matching cases;
# LLTEST_RESULTS=DIR keeps the TAP file and console log there (default BUILD_DIR/lltest-results).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR [ROOT]}")
ROOT=${2:-/}
TIMEOUT=${LLTEST_TIMEOUT:-900}

[[ $(id -u) == 0 ]] || { echo "run.sh: must run as root (it boots a container)" >&2; exit 1; }

STAGE=$BUILD/lltest-stage
RESULTS=${LLTEST_RESULTS:-$BUILD/lltest-results}
"$HERE/stage.sh" "$BUILD" "$STAGE" || { echo "run.sh: building or staging failed" >&2; exit 1; }
mkdir -p "$STAGE/usr/lib/systemd/system/multi-user.target.wants"
ln -sfn ../lltest-runner.service "$STAGE/usr/lib/systemd/system/multi-user.target.wants/"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
: > "$RESULTS/tap"
[[ -n ${LLTEST_ONLY:-} ]] && echo "LLTEST_ONLY=$LLTEST_ONLY" > "$RESULTS/env"

echo "run.sh: booting $( [[ $ROOT == / ]] && echo "the host's systemd" || echo "$ROOT") with the staged build…"
"$HERE/boot.sh" "$STAGE" "$ROOT" "$RESULTS" "$TIMEOUT" > "$RESULTS/console.log" 2>&1
boot_rc=$?

grep -v '^#   ' "$RESULTS/tap" | grep -E '^(ok|not ok|# systemd|# [^l])' || true
if grep -q '^not ok' "$RESULTS/tap"; then
        echo
        echo "Diagnostics of the failed cases:"
        awk '/^not ok/ { show = 1; print; next } /^ok / { show = 0 } show && /^#   / { print }' "$RESULTS/tap"
fi

passed=$(grep -c '^ok ' "$RESULTS/tap")
failed=$(grep -c '^not ok ' "$RESULTS/tap")
echo "$passed passed, $failed failed"

if ! grep -q '^# lltest-done' "$RESULTS/tap"; then
        echo "run.sh: the container did not report completion (nspawn exit status $boot_rc); console tail:" >&2
        tail -n 60 "$RESULTS/console.log" >&2
        exit 1
fi
[[ $failed == 0 ]]
