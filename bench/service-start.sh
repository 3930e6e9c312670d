#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A real service's start, confined against unconfined, under a real systemd PID 1 (run it in a container
# booted from a root that has the service, see container.sh). Adds a copy of the service with Landlock
# directives (UNIT-landlock.service: the distribution's unit plus a drop-in), checks that PID 1 runs its
# commands through the enforcer and that it starts, then times "systemctl start" of the two alternately,
# RUNS times each, stopping each after its start. Prints the medians and their ratio.
#
#   service-start.sh [RUNS]          (the service: nginx, with the policy of systemd.landlock(5))
set -euo pipefail

runs=${1:-21}
unit=nginx
confined=$unit-landlock

[ "$(cat /proc/1/comm)" = systemd ] || { echo "PID 1 is not systemd: run this inside the container"; exit 1; }
# What the boot waited for, if it was slow (the container's boot is not part of the figures).
journalctl -b --no-pager -o short-monotonic 2>/dev/null | grep -E "Timed out|timed out|Failed to start|Reached target" | tail -n 8 >&2 || true
fragment=$(systemctl show -P FragmentPath $unit.service)
[ -n "$fragment" ] || { echo "$unit.service is not installed"; exit 1; }

# The example of systemd.landlock(5), "A web server", with what Debian's nginx reads besides: the default
# site (/var/www), its modules if any (/usr/lib/nginx, /usr/share/nginx), and the user database (/etc).
cp "$fragment" /etc/systemd/system/$confined.service
mkdir -p /etc/systemd/system/$confined.service.d
cat > /etc/systemd/system/$confined.service.d/landlock.conf <<'CONF'
[Service]
X-LandlockReadOnlyPaths=/etc /usr/share/nginx -/usr/lib/nginx /var/www
X-LandlockReadWritePaths=/var/log/nginx /var/lib/nginx /run
X-LandlockBindPorts=80 443
X-LandlockConnectPorts=none
X-LandlockScope=abstract-unix-socket signal
CONF
# Both are started many times in a row: no start rate limit for either.
for u in $unit $confined; do
        mkdir -p /etc/systemd/system/$u.service.d
        printf '[Unit]\nStartLimitIntervalSec=0\n' > /etc/systemd/system/$u.service.d/no-start-limit.conf
done
systemctl stop $unit.service
systemctl daemon-reload

# Confined for real: PID 1's own command lines go through the enforcer.
for key in ExecStartPre ExecStart; do
        cmd=$(systemctl show -P $key $confined.service)
        case $cmd in
        *systemd-landlock-exec* | */landlock-exec/*) ;;       # the enforcer, or the generator's link to it
        *) echo "$confined.service: $key does not run through the enforcer: $cmd"; exit 1 ;;
        esac
done

median() {
        local -a v
        mapfile -t v < <(sort -n)
        local n=${#v[@]}
        if ((n % 2)); then echo "${v[n / 2]}"; else echo $(( (v[n / 2 - 1] + v[n / 2]) / 2 )); fi
}
# The start alone, in microseconds; the stop is not timed. Run in $(…): a failure prints FAIL.
start_us() {
        local s e
        s=$(date +%s%N)
        if ! systemctl start "$1.service"; then
                echo "$1.service failed to start" >&2
                journalctl -b -u "$1.service" --no-pager | tail -n 20 >&2
                echo FAIL
                return
        fi
        e=$(date +%s%N)
        systemctl stop "$1.service"
        echo $(( (e - s) / 1000 ))
}

# Warm-up (page cache, first start), then alternate so that noise hits both alike.
start_us $unit >/dev/null
start_us $confined >/dev/null
plain=() conf=()
for ((i = 0; i < runs; i++)); do
        plain+=("$(start_us $unit)")
        conf+=("$(start_us $confined)")
done
if [[ " ${plain[*]} ${conf[*]} " == *" FAIL "* ]]; then
        echo "service-start.sh: a start failed, no figures"
        exit 1
fi
p=$(printf '%s\n' "${plain[@]}" | median)
c=$(printf '%s\n' "${conf[@]}" | median)
echo "$unit start, $runs runs each, medians:"
echo "  unconfined:              $p us"
echo "  confined ($confined): $c us"
echo "  ratio confined/unconfined: $(( c * 1000 / p / 1000 )).$(printf '%03d' $(( c * 1000 / p % 1000 )))"
