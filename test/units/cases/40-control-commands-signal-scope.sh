# SPDX-License-Identifier: LGPL-2.1-or-later
# LandlockScope=signal: the main process cannot signal outside the service, yet "kill -HUP $MAINPID" in
# ExecReload= and "kill -TERM $MAINPID" in ExecStop= work without "+", and the control command stays in a
# domain (abstract sockets scoped).
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-control.service
sleep 120 &
target=$!
$PROBE serve-abstract lltest-abstract 120 &
server=$!
trap 'kill $target $server 2>/dev/null' EXIT
echo "TARGET_PID=$target" > /run/lltest/scope.env
wait_abstract_socket lltest-abstract

start_ok $u
wait_for_output $u started
expect $u "kill $target: EPERM"
main=$(systemctl show -P MainPID $u)
systemctl reload $u || fail "systemctl reload $u failed: the reload command could not signal the main process"
wait_for_output $u "got HUP"
expect $u "kill $main: ok" "connect-abstract lltest-abstract: EPERM" "kill $target: ok"
systemctl stop $u || fail "systemctl stop $u failed"
wait_for_output $u "got TERM"
[[ $(systemctl show -P Result $u) == success ]] || fail "$u: Result=$(systemctl show -P Result $u) after stop, expected success"
