#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's first command: on a fresh Debian 12, as root, installs what it needs, builds the project,
# boots a throwaway container with the distribution's systemd as PID 1, starts demo.service (one allowed
# and one denied access) and shows its output and its security report. Nothing on the host is changed
# besides the installed packages and the build directory build-demo/.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$SRC/build-demo
STAGE=$BUILD/demo-stage
RESULTS=$BUILD/demo-results

[[ $(id -u) == 0 ]] || { echo "demo/run.sh: run me as root (I install packages and boot a container)" >&2; exit 1; }

echo "==> Installing build dependencies"
if [[ -x $SRC/.ci/install-deps ]] || [[ -e $SRC/.ci/install-deps ]]; then
        bash "$SRC/.ci/install-deps"
else
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                build-essential meson ninja-build pkg-config libsystemd-dev libjson-c-dev systemd-container
fi

echo "==> Building and staging into $STAGE"
"$SRC/test/units/stage.sh" "$BUILD" "$STAGE"
D=$STAGE/usr/lib/systemd-landlock-demo
mkdir -p "$D" "$STAGE/usr/lib/systemd/system/multi-user.target.wants"
install -m 0755 "$SRC/demo/demo.sh" "$SRC/demo/demo-runner.sh" "$D/"
install -m 0644 "$SRC/demo/demo.service" "$SRC/demo/demo-runner.service" "$STAGE/usr/lib/systemd/system/"
ln -sfn ../demo-runner.service "$STAGE/usr/lib/systemd/system/multi-user.target.wants/"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
echo "==> Booting the host's systemd as PID 1 in a throwaway container"
"$SRC/test/units/boot.sh" "$STAGE" / "$RESULTS" 300 > "$RESULTS/console.log" 2>&1 || true

if [[ ! -e $RESULTS/demo.done ]]; then
        echo "demo/run.sh: the container did not finish the demo; its console:" >&2
        tail -n 40 "$RESULTS/console.log" >&2
        exit 1
fi
echo
cat "$RESULTS/demo.txt"
if ! grep -q '^DENIED   cat /srv/demo/private/secret.txt' "$RESULTS/demo.txt"; then
        echo
        echo "demo/run.sh: the service was NOT confined: /srv/demo/private/secret.txt was readable" >&2
        exit 1
fi
