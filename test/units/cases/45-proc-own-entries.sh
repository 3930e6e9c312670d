# SPDX-License-Identifier: LGPL-2.1-or-later
# The documented /proc pattern (systemd.landlock(5)): LandlockReadOnlyPaths=/proc with ProtectProc=invisible
# and ProcSubset=pid. The service reads its own entries, not PID 1's nor /proc/sys, nor anything outside
# /proc; "security" gives the /proc row its ✓ for it.
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-proc.service
start_ok $u
expect $u "read /proc/self/status: ok" "read /proc/1/status: ENOENT" "read /proc/sys/kernel/ostype: ENOENT" \
        "read /etc/lltest/secret: EACCES"
if have_cli; then
        out=$(systemd-landlock --no-pager security $u 2>&1)
        grep -q "✓ LandlockPaths=/proc .*ProtectProc=invisible with ProcSubset=pid" <<< "$out" ||
                fail "$u: security does not recognise the /proc pattern: $out"
fi
