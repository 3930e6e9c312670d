# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by every case script inside the container. A case is a sequence of assertions on real
# outcomes; the first one that does not hold prints why, the journal of the units the case touched,
# and ends the case with a failure.

T=/usr/lib/systemd-landlock-tests
PROBE=$T/lltest-probe
OUT=/run/lltest

# Enforcer exit codes (src/core/exec-exit.h, systemd-landlock-exec(8)).
EXIT_REFUSED=246        # confinement impossible: strict refusal, restriction failed
EXIT_INVALID=247        # invalid policy/directives
EXIT_MISSING=248        # required path missing

TOUCHED=()
SYSTEMD_VERSION=$(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')

dump_journal() {
        local u
        for u in "${TOUCHED[@]}"; do
                echo "--- journalctl -u $u"
                # Stock systemd's notices about the unprefixed directives are expected: leave them out.
                journalctl --no-pager -b -o short-monotonic -u "$u" | grep -v "Unknown key" | tail -n 30
                echo "--- systemctl status $u"
                systemctl --no-pager status "$u" 2>&1 | head -n 8
                [[ -e $OUT/$u.out ]] && { echo "--- $OUT/$u.out"; cat "$OUT/$u.out"; }
        done
        echo "--- generator messages"
        journalctl --no-pager -b -o cat -k --grep=landlock 2>/dev/null | tail -n 20
}

fail() {
        echo "FAIL: $*"
        dump_journal
        exit 1
}

note() {
        echo "# $*"
}

# Forget what earlier runs of UNIT left behind, and remember to show its journal on failure.
reset_unit() {
        local u=$1
        TOUCHED+=("$u")
        systemctl stop "$u" 2>/dev/null
        systemctl reset-failed "$u" 2>/dev/null
        rm -f "$OUT/$u.out"
}

start_ok() {
        local u=$1
        reset_unit "$u"
        systemctl start "$u" || fail "systemctl start $u failed, expected it to start"
}

# start_fails UNIT EXIT_STATUS: the unit must not start, its main command failing with EXIT_STATUS.
start_fails() {
        local u=$1 want=$2 got
        reset_unit "$u"
        systemctl start "$u" && fail "systemctl start $u succeeded, expected it to fail with status $want"
        systemctl is-failed -q "$u" || fail "$u is not in failed state after a failed start"
        got=$(unit_status "$u")
        [[ $got == "$want" ]] || fail "$u failed with exit status '$got', expected $want"
}

# start_refused UNIT: the enforcer refused to run the command because confinement is impossible: exit
# status 246, or, when a thread could not be restricted, killed with SIGKILL before it exec'd anything
# (systemd-landlock-exec(8): all or nothing).
start_refused() {
        local u=$1 result status
        reset_unit "$u"
        systemctl start "$u" && fail "systemctl start $u succeeded, expected the enforcer to refuse"
        result=$(systemctl show -P Result "$u")
        status=$(unit_status "$u")
        [[ $result == exit-code && $status == "$EXIT_REFUSED" ]] || [[ $result == signal && $status == 9 ]] ||
                fail "$u: Result=$result status=$status, expected exit-code $EXIT_REFUSED or signal 9 (KILL)"
}

# did_not_run UNIT: the service's command (every one starts with "read /etc/lltest/secret") never ran.
did_not_run() {
        ! grep -q '^read /etc/lltest/secret: ' "$OUT/$1.out" 2>/dev/null || fail "$1: the command ran"
}

# The exit status of the command that failed: ExecMainStatus when ExecStart= failed, otherwise the
# status systemd logged for the failing control process (ExecStartPre= …).
unit_status() {
        local s
        s=$(systemctl show -P ExecMainStatus "$1")
        if [[ -z $s || $s == 0 ]]; then
                s=$(journalctl --no-pager -b -o cat -u "$1" | sed -n 's/.*code=exited, status=\([0-9]*\).*/\1/p' | tail -n 1)
        fi
        echo "$s"
}

# expect UNIT LINE…: each LINE must appear, exactly, in the unit's output.
expect() {
        local u=$1 line
        shift
        [[ -e $OUT/$u.out ]] || fail "$u wrote no output ($OUT/$u.out missing)"
        for line in "$@"; do
                grep -qxF -- "$line" "$OUT/$u.out" || fail "$u: expected the line '$line' in its output"
        done
}

# expect_journal UNIT PATTERN: an extended regular expression that must match the unit's journal.
expect_journal() {
        local u=$1 pattern=$2 i
        # Messages from the service's stderr reach the journal asynchronously.
        for i in $(seq 50); do
                journalctl --no-pager -b -o cat -u "$u" | grep -qE -- "$pattern" && return 0
                sleep 0.1
        done
        fail "$u: nothing in its journal matches /$pattern/"
}

# Until something listens on the abstract socket @NAME: a connection before that is refused (ECONNREFUSED)
# whatever the scopes say.
wait_abstract_socket() {
        local name=$1 i
        for i in $(seq 100); do
                grep -q " @$name\$" /proc/net/unix && return 0
                sleep 0.1
        done
        fail "nothing listens on the abstract socket @$name"
}

wait_for_output() {
        local u=$1 line=$2 i
        for i in $(seq 100); do
                grep -qxF -- "$line" "$OUT/$u.out" 2>/dev/null && return 0
                sleep 0.1
        done
        fail "$u: the line '$line' did not appear in its output within 10 s"
}

have_cli() {
        command -v systemd-landlock >/dev/null
}
