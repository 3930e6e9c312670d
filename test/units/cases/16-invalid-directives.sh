# SPDX-License-Identifier: LGPL-2.1-or-later
# A malformed directive: that unit refuses to start (247, nothing runs) and the journal names file and
# line; a valid unit beside it starts.
. /usr/lib/systemd-landlock-tests/lib.sh

for u in lltest-invalid.service lltest-invalid-access.service; do
        start_fails $u $EXIT_INVALID
        did_not_run $u
        journalctl --no-pager -b -o cat | grep -qE "(/usr)?/lib/systemd/system/$u:8" ||
                fail "no journal message names $u:8 (file and line)"
done
journalctl --no-pager -b -o cat | grep -F "lltest-invalid-access.service:8" | grep -q "read-everything" ||
        fail "the message for the unknown access right does not name it"
start_ok lltest-valid.service
expect lltest-valid.service "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
