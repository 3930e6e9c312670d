# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding (two causes):
#  a) systemd stops reading a drop-in at the first line parse_line() rejects with an error (an invalid
#     section header "[Service" without "]", a section header with bad characters, a line that is not
#     UTF-8 clean, a line over 1 MiB: src/shared/conf-parser.c config_parse() returns, and
#     load-dropin.c ignores the error), but the generator (src/shared/unit-file.c) reads on. Here it
#     reads a "SystemCallFilter=" reset that systemd never applies, so it adds no Landlock system calls
#     to the filter that IS in effect.
#  b) With SystemCallErrorNumber=ENOSYS the filter makes landlock_create_ruleset() fail with ENOSYS, and
#     systemd-landlock-exec (src/core/landlock-exec.c) takes that for "Landlock not built into this
#     kernel": under the default LandlockCompatibility=best-effort it runs the command UNCONFINED.
# The second unit shows a) alone: a grant the generator reads after a line that is not UTF-8 clean, where
# systemd stopped reading the drop-in.
# Now: the reader stops where systemd stops, and a unit with Landlock directives whose files systemd stops
# reading early is refused (the lines after the stop were meant to apply); the enforcer refuses a filter
# that hides Landlock (tested in the meson suite). A third unit has only the ENOSYS deny-list: the
# generator takes the Landlock calls out of it, and the command runs confined.
. /usr/lib/systemd-landlock-tests/lib-adv.sh

u=adv-enosys.service
reset_unit $u
cat > /etc/systemd/system/$u <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$u.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret read /srv/lltest/ro/file
LandlockReadOnlyPaths=/srv/lltest/ro
SystemCallFilter=@system-service
SystemCallErrorNumber=ENOSYS
EOU
mkdir -p /etc/systemd/system/$u.d
printf '[Service\n[Service]\nSystemCallFilter=\n' > /etc/systemd/system/$u.d/10-reset.conf

v=adv-utf8.service
reset_unit $v
cat > /etc/systemd/system/$v <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$v.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret read /srv/lltest/ro/file
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
mkdir -p /etc/systemd/system/$v.d
printf '[Service]\nX-Note=caf\xe9\nLandlockReadOnlyPaths=/etc/lltest\n' > /etc/systemd/system/$v.d/10-more.conf

w=adv-denylist.service
reset_unit $w
cat > /etc/systemd/system/$w <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$w.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret read /srv/lltest/ro/file
LandlockReadOnlyPaths=/srv/lltest/ro
SystemCallFilter=~landlock_create_ruleset landlock_add_rule landlock_restrict_self
SystemCallErrorNumber=ENOSYS
EOU

systemctl daemon-reload
show_exec $u
show_exec $v
show_exec $w
for x in $u $v; do
        systemctl start $x && fail "$x started although systemd stops reading one of its drop-ins early"
        expect_journal $x "systemd stops reading the file here"
        [[ -e $OUT/$x.out ]] && grep -q "secret: ok" "$OUT/$x.out" && fail "$x ran unconfined"
done
systemctl start $w || fail "$w did not start"
cat "$OUT/$w.out"
expect $w "main read /etc/lltest/secret: EACCES" "main read /srv/lltest/ro/file: ok"
true
