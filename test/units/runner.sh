#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the container as lltest-runner.service: prepares the fixtures, runs every case script in
# order and prints TAP lines to the console and to the results directory the host bound in.

T=/usr/lib/systemd-landlock-tests
RESULTS=/mnt/lltest-results
OUT=/run/lltest

setup_fixtures() {
        local d
        mkdir -p "$OUT" /etc/lltest
        chmod 1777 "$OUT"
        echo "secret" > /etc/lltest/secret
        chmod 0644 /etc/lltest/secret
        for d in ro rw paths xro exec extra denied inst/a inst/b inst/other sock open; do
                mkdir -p "/srv/lltest/$d"
                echo "content of $d" > "/srv/lltest/$d/file"
        done
        chmod 0777 /srv/lltest/rw
        chmod 1777 /srv/lltest/open
        cp "$T/lltest-probe" /srv/lltest/exec/probe
        cp "$T/lltest-probe" /srv/lltest/ro/probe
        "$T/lltest-probe" abi | sed -n 's/^abi \([0-9]*\): .*/\1/p' > "$OUT/abi"
        # A minimal PAM stack for user@.service where the booted tree has no /etc/pam.d (volatile=yes).
        if [[ ! -e /etc/pam.d/common-account ]]; then
                mkdir -p /etc/pam.d
                for f in systemd-user other; do
                        printf '%s required pam_permit.so\n' auth account password session > /etc/pam.d/$f
                done
        fi
}

emit() {
        echo "$*"
        echo "$*" >> "$RESULTS/tap"
}

main() {
        local n=0 failed=0 c name log rc

        setup_fixtures
        emit "# systemd $(systemctl --version | head -n 1 | cut -d' ' -f2-3), kernel $(uname -r), Landlock ABI $(cat "$OUT/abi")"
        for c in "$T"/cases/*.sh; do
                name=$(basename "$c" .sh)
                [[ -n $LLTEST_ONLY && $name != *$LLTEST_ONLY* ]] && continue
                n=$((n + 1))
                log=$OUT/case-$name.log
                timeout 180 bash "$c" > "$log" 2>&1
                rc=$?
                grep '^# ' "$log" | while read -r l; do emit "$l"; done
                if [[ $rc == 0 ]]; then
                        emit "ok $n - $name"
                else
                        failed=$((failed + 1))
                        emit "not ok $n - $name (exit $rc)"
                        sed 's/^/#   /' "$log" | tail -n 150 | while IFS= read -r l; do emit "$l"; done
                fi
        done
        emit "1..$n"
        emit "# lltest-done failed=$failed"
}

main
exit 0
