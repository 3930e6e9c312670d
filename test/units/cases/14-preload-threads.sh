# SPDX-License-Identifier: LGPL-2.1-or-later
# An LD_PRELOAD library starts threads in the enforcer before main().
# - Threads that take signals: auto, yes and no all start the service, and it is confined.
# - Threads that block every signal cannot be reached before TSYNC (ABI 8; this kernel has ABI 7):
#   auto (more than one thread) and yes must refuse to exec, all or nothing (exit 246, or SIGKILL of the
#   half-restricted process, SPEC §4), saying which thread; no restricts only the calling thread, which
#   execs the service, confined.
. /usr/lib/systemd-landlock-tests/lib.sh

abi=$(cat /run/lltest/abi 2>/dev/null)
for mode in auto yes no; do
        u=lltest-preload-threads-$mode.service
        start_ok $u
        expect $u "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
done

u=lltest-preload-blocked-no.service
start_ok $u
expect $u "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"

if [[ -n $abi ]] && ((abi >= 8)); then
        note "Landlock ABI $abi has TSYNC: blocked threads are restricted too, auto/yes start"
        for mode in auto yes; do
                start_ok lltest-preload-blocked-$mode.service
                expect lltest-preload-blocked-$mode.service "read /etc/lltest/secret: EACCES"
        done
else
        for mode in auto yes; do
                u=lltest-preload-blocked-$mode.service
                start_refused $u
                did_not_run $u
                expect_journal $u "[Tt]hread"
        done
fi
