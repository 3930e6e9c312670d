# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding: bytes that end or skip a line for systemd but not for the generator hide the Landlock
# directives from it, so it writes no drop-in and the unit runs unconfined although systemd reads the
# directive lines (the "Unknown key name 'LandlockReadOnlyPaths'" notices, and the Description= set
# after them, prove it). systemd's read_line_full() (src/basic/fileio.c) ends a line at "\n", a lone
# "\r" and "\0"; config_parse() drops one UTF-8 byte order mark. The generator reads the file as a C
# string (stops at the first NUL), splits at "\n" only and keeps a BOM as part of the line.
. /usr/lib/systemd-landlock-tests/lib-adv.sh

mk() {
        local u=$1 head=$2 sep=$3
        reset_unit $u
        printf "%s[Service]\nType=oneshot\nStandardOutput=append:%s\nStandardError=journal\nExecStart=%s tag main read /etc/lltest/secret\nX-Note=x${sep}LandlockReadOnlyPaths=/srv/lltest/ro\nDescription=seen by systemd\n" \
                "$head" "$OUT/$u.out" "$PROBE" > /etc/systemd/system/$u
}
mk adv-hide-nul.service "" '\n\0'
mk adv-hide-cr.service "" '\r'
mk adv-hide-bom.service $'\xef\xbb\xbf' '\n'
systemctl daemon-reload

bad=0
for u in adv-hide-nul.service adv-hide-cr.service adv-hide-bom.service; do
        show_exec $u
        echo "    Description=$(systemctl show -P Description $u)"
        systemctl start $u
        cat "$OUT/$u.out"
        grep -qxF "main read /etc/lltest/secret: EACCES" "$OUT/$u.out" || { echo "UNCONFINED: $u"; bad=1; }
done
[[ $bad == 0 ]] || fail "units with Landlock directives ran unconfined"
