# SPDX-License-Identifier: LGPL-2.1-or-later
# A malformed directive: that unit refuses to start (247, nothing runs) and the journal names file and
# line; a valid unit beside it starts.
. /usr/lib/systemd-landlock-tests/lib.sh

for u in lltest-invalid.service lltest-invalid-access.service; do
        start_fails $u $EXIT_INVALID
        did_not_run $u
        # The message names file and line.
        expect_journal $u "(/usr)?/lib/systemd/system/$u:8"
done
# The message for the unknown access right names it.
expect_journal lltest-invalid-access.service "lltest-invalid-access\.service:8.*read-everything"
start_ok lltest-valid.service
expect lltest-valid.service "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
