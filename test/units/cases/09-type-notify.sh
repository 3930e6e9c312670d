# SPDX-License-Identifier: LGPL-2.1-or-later
# Type=notify: READY=1 reaches systemd from inside the domain (on ABI 7 there is no resolve-unix right to
# handle; on ABI 9 the enforcer must grant $NOTIFY_SOCKET), the start completes.
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-notify.service
start_ok $u
[[ $(systemctl show -P ActiveState $u) == active ]] || fail "$u is not active after READY=1"
expect $u "read /etc/lltest/secret: EACCES" "notify READY=1: ok"
systemctl stop $u
