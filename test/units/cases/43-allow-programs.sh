# SPDX-License-Identifier: LGPL-2.1-or-later
# LandlockAllowPrograms=: the program a wrapper execs runs, with only its own files granted; without the
# directive the exec is denied. "show" lists the grant with the directive that asked for it.
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-programs.service
start_ok $u
expect $u "read /srv/lltest/ro/file: ok" "read /etc/lltest/secret: EACCES" "exec /srv/lltest/exec/probe: EACCES"
if have_cli; then
        systemd-landlock show --no-pager $u | grep -F "LandlockAllowPrograms=/usr/lib/systemd-landlock-tests/lltest-probe" |
                grep -qF "/usr/lib/systemd-landlock-tests/lltest-probe" ||
                fail "$u: show does not list the program's grant: $(systemd-landlock show --no-pager $u)"
fi

u=lltest-programs-missing.service
reset_unit $u
systemctl start $u && fail "$u started: the program the wrapper execs was not denied"
grep -q "Permission denied" "$OUT/$u.out" || fail "$u: expected the exec to be denied: $(cat "$OUT/$u.out")"
grep -q "^read " "$OUT/$u.out" && fail "$u: the program ran"
true
