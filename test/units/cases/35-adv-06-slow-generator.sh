# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding: the generator joins continuation lines in quadratic time (unit_file_parse_string() in
# src/shared/unit-file.c re-copies and re-scans the whole continuation for every physical line, with no
# length limit; systemd caps a continuation at LONG_LINE_MAX and reads it in linear time). A ~1.3 MB
# service file of "x\" lines, which systemd loads in milliseconds, keeps the generator busy for minutes.
# PID 1 kills generators after 90 s (DEFAULT_TIMEOUT_USEC, execute_directories()) and carries on: every
# unit the generator had not reached yet (it goes in name order) gets no drop-in and runs UNCONFINED.
. /usr/lib/systemd-landlock-tests/lib-adv.sh

u=zzz-adv-victim.service
reset_unit $u
cat > /etc/systemd/system/$u <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$u.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
{ printf '[Unit]\nDescription=x'; yes 'x\' | head -n 450000; printf 'x\n[Service]\nExecStart=/bin/true\n'; } \
        > /etc/systemd/system/0-adv-slow.service
ls -l /etc/systemd/system/0-adv-slow.service
# daemon-reload returns only once the generators have finished or were killed.
start=$(date +%s)
busctl --timeout=170 call org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager Reload
echo "--- daemon-reload took $(( $(date +%s) - start )) s"
journalctl --no-pager -b -o cat | grep -i 'generator' | tail -n 3
rm -f /etc/systemd/system/0-adv-slow.service
show_exec $u
systemctl start $u
cat "$OUT/$u.out"
expect $u "main read /etc/lltest/secret: EACCES"
