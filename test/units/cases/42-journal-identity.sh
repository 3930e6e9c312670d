# SPDX-License-Identifier: LGPL-2.1-or-later
# Wrapped commands keep the journal identifier systemd would give them without the enforcer (the file
# name of the executable), so "journalctl -t NAME" and syslog filters still find them; SyslogIdentifier=
# still wins. The commands are still confined.
. /usr/lib/systemd-landlock-tests/lib.sh

# expect_ident UNIT IDENTIFIER LINE: LINE is in UNIT's journal under IDENTIFIER (asynchronous: wait).
expect_ident() {
        local u=$1 id=$2 line=$3 i
        for i in $(seq 50); do
                journalctl --no-pager -b -o cat -u "$u" -t "$id" | grep -qxF -- "$line" && return 0
                sleep 0.1
        done
        fail "$u: '$line' is not in its journal under the identifier '$id'; identifiers seen: $(journalctl --no-pager -b -u "$u" -o json | grep -o '"SYSLOG_IDENTIFIER":"[^"]*"' | sort -u | tr '\n' ' ')"
}

u=lltest-ident.service
start_ok $u
expect_ident $u sh lltest-ident-pre
expect_ident $u lltest-probe "argv0 fake-argv0: ok"
expect_ident $u lltest-probe "read /etc/lltest/secret: EACCES"
expect_ident $u sh lltest-ident-plus
journalctl --no-pager -b -o cat -u $u -t systemd-landlock-exec | grep -q . &&
        fail "$u: lines logged under the enforcer's name: $(journalctl --no-pager -b -o cat -u $u -t systemd-landlock-exec)"

u=lltest-ident-custom.service
start_ok $u
expect_ident $u lltest-custom-ident "read /srv/lltest/ro/file: ok"
expect_ident $u lltest-custom-ident "read /etc/lltest/secret: EACCES"
