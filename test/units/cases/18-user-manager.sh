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

# The command line against this user manager (its own socket: the roots of the version matrix have no
# session bus): the running command goes through the enforcer, and show has the user unit's policy.
if have_cli; then
        out=$(as_user systemd-landlock --user --no-pager security lltest-usermgr.service 2>&1) ||
                fail "systemd-landlock --user security failed: $out"
        grep -qF "Every command the manager runs goes through the enforcer" <<< "$out" ||
                fail "systemd-landlock --user security does not see the enforcer in the running command: $out"
        out=$(as_user systemd-landlock --user --no-pager show lltest-usermgr.service 2>&1) ||
                fail "systemd-landlock --user show failed: $out"
        grep -qF "/srv/lltest/ro" <<< "$out" || fail "systemd-landlock --user show lacks /srv/lltest/ro: $out"
fi
systemctl stop user@$uid.service
