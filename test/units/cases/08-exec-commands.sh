# SPDX-License-Identifier: LGPL-2.1-or-later
# ExecStartPre=, ExecStart=, ExecStartPost=, ExecReload=, ExecStop= are confined, "+" commands are not,
# and "@" sets argv[0].
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-cmds.service
start_ok $u
wait_for_output $u "main read /srv/lltest/ro/file: ok"
systemctl reload $u || fail "systemctl reload $u failed"
systemctl stop $u || fail "systemctl stop $u failed"
expect $u \
        "pre read /etc/lltest/secret: EACCES" \
        "plus read /etc/lltest/secret: ok" \
        "main argv0 lltest-argv0: ok" \
        "main read /etc/lltest/secret: EACCES" \
        "main read /srv/lltest/ro/file: ok" \
        "post read /etc/lltest/secret: EACCES" \
        "reload read /etc/lltest/secret: EACCES" \
        "stop read /etc/lltest/secret: EACCES"
