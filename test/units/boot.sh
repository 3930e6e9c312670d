#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# boot.sh STAGE ROOT RESULTS TIMEOUT_SECONDS [NSPAWN_ARG…]: boot ROOT ("/" = the host's own systemd)
# once in a throwaway container with STAGE/usr stacked over its /usr and RESULTS bound at
# /mnt/lltest-results; further arguments go to systemd-nspawn (e.g. more --bind= of unit trees).
# The console goes to stdout; the units enabled in STAGE do the work and power the container off.
# LLTEST_WRITABLE_USR=1: /usr (with STAGE/usr over it) is writable, its changes kept in a temporary
# directory that nspawn removes, and / a volatile overlay: packages can be installed in the container.
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
        # Its own network namespace, loopback only: the suite's fixed ports and abstract socket names are
        # then its own, whatever else runs on this machine (another checkout's suite, a server on 5432).
        --private-network
)

usr=${ROOT%/}/usr
if [[ ${LLTEST_WRITABLE_USR:-0} == 1 ]]; then
        # nspawn refuses a volatile overlay over the host's own /.
        [[ $ROOT != / ]] || { echo "boot.sh: LLTEST_WRITABLE_USR=1 needs a root directory other than /" >&2; exit 1; }
        # The empty upper directory: a temporary one under the host's /var/tmp.
        ARGS+=(-D "$ROOT" --volatile=overlay --overlay="$usr:$STAGE/usr::/usr")
elif [[ $ROOT == / ]]; then
        # The host's /usr, read-only, with an empty /etc and /var on a tmpfs.
        ARGS+=(-D / --volatile=yes --overlay-ro="/usr:$STAGE/usr:/usr")
else
        ARGS+=(-D "$ROOT" --volatile=overlay --overlay-ro="$usr:$STAGE/usr:/usr")
fi
# A debootstrapped root of another systemd version; v258+ supports only the unified cgroup hierarchy.
[[ $ROOT == / ]] || export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1

# $LLTEST_INIT_ARGS: more options for PID 1 (systemd.mask=… for instance), split at blanks.
# shellcheck disable=SC2086
exec timeout --kill-after=20 "$TIMEOUT" systemd-nspawn "${ARGS[@]}" "$@" \
        --boot -- systemd.firstboot=no systemd.show_status=no ${LLTEST_INIT_ARGS:-}
