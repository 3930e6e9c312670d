#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Share of the Landlock generator in a daemon-reload, measured under a real systemd PID 1 (run it inside
# the test container, see test/units). Writes 1000 benchmark units (half with Landlock directives) into
# /etc/systemd/system, then times "systemctl daemon-reload" R times with the generator and R times with
# it masked (/etc/systemd/system-generators/NAME -> /dev/null), and the generator alone on the same tree.
#
#   generator-reload.sh [BENCH_BINARY [GENERATOR [RUNS]]]
set -euo pipefail

bench=${1:-$(dirname "$0")/generator-bench}
generator=${2:-}
runs=${3:-11}
name=systemd-landlock-generator

if [ -z "$generator" ]; then
        for d in /etc/systemd/system-generators /usr/local/lib/systemd/system-generators \
                 /usr/lib/systemd/system-generators /lib/systemd/system-generators; do
                if [ -x "$d/$name" ]; then generator=$d/$name; break; fi
        done
fi
[ -x "$generator" ] || { echo "generator not found (pass its path)"; exit 1; }
[ -x "$bench" ] || { echo "generator-bench not found (pass its path)"; exit 1; }
[ "$(cat /proc/1/comm)" = systemd ] || { echo "PID 1 is not systemd: run this inside the container"; exit 1; }

"$bench" --units=1000 --make-tree=/
cleanup() {
        rm -rf /etc/systemd/system/bench-*.service /etc/systemd/system/bench-*.service.d
        rm -f /etc/systemd/system-generators/$name
        systemctl daemon-reload
}
trap cleanup EXIT

# No awk: in a --volatile container /etc/alternatives is empty.
median() {
        local -a v
        mapfile -t v < <(sort -n)
        local n=${#v[@]}
        if ((n % 2)); then echo "${v[n / 2]}"; else echo $(( (v[n / 2 - 1] + v[n / 2]) / 2 )); fi
}
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }

with=() without=() alone=()
mkdir -p /etc/systemd/system-generators
out=$(mktemp -d /run/generator-bench-XXXXXX)
for ((i = 0; i < runs; i++)); do
        rm -f /etc/systemd/system-generators/$name
        with+=("$(ms systemctl daemon-reload)")
        ln -sf /dev/null /etc/systemd/system-generators/$name
        without+=("$(ms systemctl daemon-reload)")
        rm -rf "$out" && mkdir "$out"
        alone+=("$(ms "$generator" "$out" "$out" "$out" 2>/dev/null)")
done
rm -rf "$out"

w=$(printf '%s\n' "${with[@]}" | median)
wo=$(printf '%s\n' "${without[@]}" | median)
a=$(printf '%s\n' "${alone[@]}" | median)
echo "daemon-reload with the generator:    median $((w / 1000)) ms"
echo "daemon-reload without the generator: median $((wo / 1000)) ms"
echo "generator alone (1000 units):        median $((a / 1000)) ms, $((a / 1000)) us/unit (incl. exec)"
share=$(( (w - wo) * 1000 / w ))
echo "share of the generator in daemon-reload: $((share / 10)).$((share % 10))%"
