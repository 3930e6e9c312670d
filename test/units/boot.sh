#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# boot.sh STAGE ROOT RESULTS TIMEOUT_SECONDS [NSPAWN_ARG…]: boot ROOT ("/" = the host's own systemd)
# once in a throwaway container with STAGE/usr stacked over its /usr and RESULTS bound at
# /mnt/lltest-results; further arguments go to systemd-nspawn (e.g. more --bind= of unit trees).
# The console goes to stdout; the units enabled in STAGE do the work and power the container off.
set -uo pipefail

STAGE=$1
ROOT=$2
RESULTS=$3
TIMEOUT=$4
shift 4

ARGS=(
        -q
        -M "lltest-$$"
        --register=no
        --keep-unit
        # nspawn 252's own seccomp filter blocks the Landlock system calls unless they are named here.
        --system-call-filter='landlock_create_ruleset landlock_add_rule landlock_restrict_self'
        --bind="$RESULTS:/mnt/lltest-results"
        --console=read-only
)

if [[ $ROOT == / ]]; then
        # The host's /usr, read-only, with an empty /etc and /var on a tmpfs.
        ARGS+=(-D / --volatile=yes --overlay-ro="/usr:$STAGE/usr:/usr")
else
        # A debootstrapped root of another systemd version; v258+ supports only the unified cgroup hierarchy.
        export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
        ARGS+=(-D "$ROOT" --volatile=overlay --overlay-ro="$ROOT/usr:$STAGE/usr:/usr")
fi

exec timeout --kill-after=20 "$TIMEOUT" systemd-nspawn "${ARGS[@]}" "$@" \
        --boot -- systemd.firstboot=no systemd.show_status=no
