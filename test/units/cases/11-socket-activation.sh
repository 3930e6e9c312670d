# SPDX-License-Identifier: LGPL-2.1-or-later
# A socket-activated service: started by a connection, answers on the inherited socket, confined.
. /usr/lib/systemd-landlock-tests/lib.sh

reset_unit lltest-sock.service
TOUCHED+=(lltest-sock.socket)
systemctl start lltest-sock.socket || fail "cannot start lltest-sock.socket"
exec 3<>/dev/tcp/127.0.0.1/7701 || fail "cannot connect to 127.0.0.1:7701"
read -r -t 20 reply <&3
exec 3<&-
[[ $reply == hello ]] || fail "the activated service answered '$reply', expected 'hello'"
wait_for_output lltest-sock.service "read /srv/lltest/ro/file: ok"
expect lltest-sock.service "accept-fd3 -: ok" "read /etc/lltest/secret: EACCES"
systemctl stop lltest-sock.socket
