#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Share of the Landlock generator in a daemon-reload, measured under a real systemd PID 1 (run it inside
# the test container, see test/units). Writes 1000 benchmark units (half with Landlock directives) into
# /etc/systemd/system, then times "systemctl daemon-reload" R times with the generator and R times with
# it masked (/etc/systemd/system-generators/NAME -> /dev/null), R times masked with the drop-ins it writes
# copied into /etc instead (what loading them costs PID 1), and the generator alone on the same tree.
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

# The generator's drop-ins as plain files in /etc, for the third figure: what PID 1 pays to load them,
# apart from what running the generator costs.
out=$(mktemp -d /run/generator-bench-XXXXXX)
"$generator" "$out" "$out" "$out" 2>/dev/null
static_dropins() {
        local d
        for d in "$out"/bench-*.service.d; do
                if [ "$1" = on ]; then cp "$d"/*.conf "/etc/systemd/system/${d##*/}/"; else rm -f "/etc/systemd/system/${d##*/}"/~*.conf; fi
        done
}

with=() without=() static=() alone=()
mkdir -p /etc/systemd/system-generators
for ((i = 0; i < runs; i++)); do
        rm -f /etc/systemd/system-generators/$name
        with+=("$(ms systemctl daemon-reload)")
        ln -sf /dev/null /etc/systemd/system-generators/$name
        without+=("$(ms systemctl daemon-reload)")
        static_dropins on
        static+=("$(ms systemctl daemon-reload)")
        static_dropins off
        rm -rf "$out" && mkdir "$out"
        alone+=("$(ms "$generator" "$out" "$out" "$out" 2>/dev/null)")
done
rm -rf "$out"

w=$(printf '%s\n' "${with[@]}" | median)
wo=$(printf '%s\n' "${without[@]}" | median)
a=$(printf '%s\n' "${alone[@]}" | median)
st=$(printf '%s\n' "${static[@]}" | median)
echo "daemon-reload with the generator:    median $((w / 1000)) ms"
echo "daemon-reload without the generator: median $((wo / 1000)) ms"
echo "daemon-reload without the generator, its drop-ins as files in /etc: median $((st / 1000)) ms"
echo "generator alone (1000 units):        median $((a / 1000)) ms, $((a / 1000)) us/unit (incl. exec)"
# Percentages with one decimal, signed (noise can make a difference negative).
pct() { local x=$(( $1 * 1000 / $2 )) s=""; ((x < 0)) && { s=-; x=$((-x)); }; echo "$s$((x / 10)).$((x % 10))"; }
echo "share of the generator in daemon-reload: $(pct $((w - wo)) "$w")%"
# Of that share, what loading the drop-ins costs PID 1 (any way of adding them would cost it), and what
# is left for running the generator.
echo "  of which PID 1 loading the 500 drop-ins: $(pct $((st - wo)) "$w")%; running the generator: $(pct $((w - st)) "$w")%"
