#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# container.sh BUILD_DIR ROOT SCRIPT [ARG…]: runs one benchmark script under a real systemd PID 1. Stages
# the build as the integration suite does (test/units/stage.sh), adds the benchmark scripts and
# generator-bench under /usr/lib/systemd-landlock-bench, boots ROOT ("/": the host's systemd; or a
# debootstrapped root, used read-only) in a throwaway container (test/units/boot.sh) whose
# llbench.service runs "SCRIPT ARG…" from that directory, and prints what it printed. Not a test.
# LLBENCH_MASK="UNIT…": units of the root that PID 1 must not start (they would only slow the boot down).
set -uo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath -m "${1:?usage: container.sh BUILD_DIR ROOT SCRIPT [ARG…]}")
ROOT=${2:?usage: container.sh BUILD_DIR ROOT SCRIPT [ARG…]}
SCRIPT=${3:?usage: container.sh BUILD_DIR ROOT SCRIPT [ARG…]}
shift 3
TIMEOUT=${LLBENCH_TIMEOUT:-900}

[[ $(id -u) == 0 ]] || { echo "container.sh: must run as root (it boots a container)" >&2; exit 1; }
[[ -x $SRC/bench/$SCRIPT ]] || { echo "container.sh: no benchmark script bench/$SCRIPT" >&2; exit 1; }

STAGE=$BUILD/bench-stage
RESULTS=$BUILD/bench-results
"$SRC/test/units/stage.sh" "$BUILD" "$STAGE" || { echo "container.sh: building or staging failed" >&2; exit 1; }
B=$STAGE/usr/lib/systemd-landlock-bench
mkdir -p "$B" "$STAGE/usr/lib/systemd/system/multi-user.target.wants"
install -m 0755 "$SRC"/bench/*.sh "$BUILD/bench/generator-bench" "$B/"

printf '%q ' "$B/$SCRIPT" "$@" | sed "s|$STAGE||" > "$B/command"
cat > "$STAGE/usr/lib/systemd/system/llbench.service" <<UNIT
[Unit]
Description=systemd-landlock benchmark
After=multi-user.target
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=oneshot
WorkingDirectory=/usr/lib/systemd-landlock-bench
ExecStart=/bin/bash -c 'eval "\$(cat command)" >/mnt/lltest-results/bench.out 2>&1'
TimeoutStartSec=infinity
UNIT
ln -sfn ../llbench.service "$STAGE/usr/lib/systemd/system/multi-user.target.wants/"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
# A network namespace of its own: the services of the root must not meet those of the host or of other
# containers on the same ports. $LLBENCH_MASK: units PID 1 must not start at boot (systemd.mask=).
init_args=""
for u in ${LLBENCH_MASK:-}; do init_args+=" systemd.mask=$u"; done
LLTEST_INIT_ARGS=$init_args "$SRC/test/units/boot.sh" "$STAGE" "$ROOT" "$RESULTS" "$TIMEOUT" --private-network \
        > "$RESULTS/console.log" 2>&1
rc=$?
if [[ ! -s $RESULTS/bench.out ]]; then
        echo "container.sh: the benchmark printed nothing (nspawn exit status $rc); console tail:" >&2
        tail -n 40 "$RESULTS/console.log" >&2
        exit 1
fi
cat "$RESULTS/bench.out"
