# SPDX-License-Identifier: LGPL-2.1-or-later
# SystemCallFilter=@system-service: systemd 252's set lacks the Landlock system calls, so the generator
# adds them; from 257 on @system-service includes them (@sandbox joined @default) and nothing needs
# adding. Pinned: on every version the effective filter allows them and the service is confined.
. /usr/lib/systemd-landlock-tests/lib.sh

start_ok lltest-seccomp.service
expect lltest-seccomp.service "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
filter=$(systemctl show -P SystemCallFilter lltest-seccomp.service)
for s in landlock_create_ruleset landlock_add_rule landlock_restrict_self; do
        [[ " $filter " == *" $s "* ]] || fail "systemd $SYSTEMD_VERSION: the effective SystemCallFilter= lacks $s"
done
note "systemd $SYSTEMD_VERSION: Landlock syscalls allowed by the effective filter ($( ((SYSTEMD_VERSION >= 257)) && echo "already in @system-service" || echo "added by the generator"))"
