# SPDX-License-Identifier: LGPL-2.1-or-later
# LandlockScope=signal abstract-unix-socket: no signal to a process outside the domain, no connection to
# an abstract socket outside it. The same service without the scopes reaches both (the control).
. /usr/lib/systemd-landlock-tests/lib.sh

sleep 120 &
target=$!
$PROBE serve-abstract lltest-abstract 120 &
server=$!
trap 'kill $target $server 2>/dev/null' EXIT
echo "TARGET_PID=$target" > /run/lltest/scope.env
wait_abstract_socket lltest-abstract

start_ok lltest-noscope.service
expect lltest-noscope.service "kill $target: ok" "connect-abstract lltest-abstract: ok"
start_ok lltest-scope.service
expect lltest-scope.service "kill $target: EPERM" "connect-abstract lltest-abstract: EPERM"
