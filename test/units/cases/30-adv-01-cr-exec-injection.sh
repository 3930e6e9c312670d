# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding: a lone CR inside an Exec line's arguments is copied raw into the generated drop-in. systemd's
# read_line_full() ends a line at a lone "\r" (src/basic/fileio.c), the generator's reader only at "\n"
# (src/shared/unit-file.c), and wrap_one() copies the argument text verbatim (src/core/generator-exec.c).
# So whatever follows the CR becomes a line of OUR drop-in, after the resets: here an unwrapped
# ExecStartPost= that reads a file the policy does not grant.
. /usr/lib/systemd-landlock-tests/lib-adv.sh

u=adv-cr.service
reset_unit $u
printf '[Service]\nType=oneshot\nStandardOutput=append:%s\nStandardError=journal\nExecStart=%s tag main read /etc/lltest/secret\rExecStartPost=%s tag post read /etc/lltest/secret\nLandlockReadOnlyPaths=/srv/lltest/ro\n' \
        "$OUT/$u.out" "$PROBE" "$PROBE" > /etc/systemd/system/$u
systemctl daemon-reload
show_exec $u
systemctl start $u
cat "$OUT/$u.out"
expect $u "main read /etc/lltest/secret: EACCES"
expect $u "post read /etc/lltest/secret: EACCES"
