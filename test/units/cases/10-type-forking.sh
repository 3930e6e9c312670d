# SPDX-License-Identifier: LGPL-2.1-or-later
# Type=forking: the daemonized child inherits the domain and systemd tracks it.
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-forking.service
start_ok $u
wait_for_output $u "read /srv/lltest/ro/file: ok"
[[ $(systemctl show -P ActiveState $u) == active ]] || fail "$u is not active"
[[ $(systemctl show -P MainPID $u) != 0 ]] || fail "$u has no main PID"
expect $u "read /etc/lltest/secret: EACCES"
systemctl stop $u
