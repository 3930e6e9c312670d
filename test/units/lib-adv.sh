# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the adversary cases after test/units/lib.sh: each case is a regression test that asserts the
# SAFE outcome, so it fails while the finding is open, and prints the evidence (what systemd will run).
. /usr/lib/systemd-landlock-tests/lib.sh

EXEC_PROPS=ExecCondition,ExecStartPre,ExecStart,ExecStartPost,ExecReload,ExecStop,ExecStopPost

# show_exec UNIT: every Exec property, the drop-ins systemd applies, and our generated drop-ins.
show_exec() {
        local u=$1 f
        echo "--- systemctl show $u"
        systemctl show -p "$EXEC_PROPS",DropInPaths,SystemCallFilter,SystemCallErrorNumber "$u" | sed 's/^/    /'
        for f in /run/systemd/generator/"$u".d/* /run/systemd/generator/"${u%%@*}"@.service.d/*; do
                [[ -e $f ]] || continue
                echo "--- $f"
                cat -A "$f" | sed 's/^/    /'
        done
}
