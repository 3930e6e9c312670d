# SPDX-License-Identifier: LGPL-2.1-or-later
# Rights this kernel (ABI 7) lacks: resolve-unix (ABI 9) and UDP ports (ABI 10).
# best-effort starts, enforces the rest and logs what was dropped; strict refuses to start (246).
. /usr/lib/systemd-landlock-tests/lib.sh

abi=$(cat /run/lltest/abi 2>/dev/null)
[[ -z $abi ]] || ((abi < 9)) || fail "this case needs a kernel below Landlock ABI 9, this one has ABI $abi"

start_ok lltest-compat-unix-best-effort.service
expect lltest-compat-unix-best-effort.service "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
expect_journal lltest-compat-unix-best-effort.service "resolve-unix"
start_refused lltest-compat-unix-strict.service
did_not_run lltest-compat-unix-strict.service
expect_journal lltest-compat-unix-strict.service "resolve-unix"

start_ok lltest-compat-udp-best-effort.service
expect lltest-compat-udp-best-effort.service "read /etc/lltest/secret: EACCES" "bind tcp:7711: EACCES"
expect_journal lltest-compat-udp-best-effort.service "[Uu][Dd][Pp]"
start_refused lltest-compat-udp-strict.service
did_not_run lltest-compat-udp-strict.service
expect_journal lltest-compat-udp-strict.service "[Uu][Dd][Pp]"
