# SPDX-License-Identifier: LGPL-2.1-or-later
# A service of a systemd --user manager (user@4711.service), with the user generator.
. /usr/lib/systemd-landlock-tests/lib.sh

uid=$(id -u lltest) || fail "no user lltest (sysusers.d/lltest.conf)"
TOUCHED+=(user@$uid.service)
systemctl start user@$uid.service || fail "cannot start user@$uid.service"
rm -f $OUT/lltest-usermgr.service.out
as_user() {
        runuser -u lltest -- env XDG_RUNTIME_DIR=/run/user/$uid "$@"
}
as_user systemctl --user start lltest-usermgr.service || {
        as_user systemctl --user status lltest-usermgr.service
        journalctl --no-pager -b _UID=$uid | tail -n 30
        fail "cannot start the user service"
}
expect lltest-usermgr.service "uid $uid: ok" "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
systemctl stop user@$uid.service
