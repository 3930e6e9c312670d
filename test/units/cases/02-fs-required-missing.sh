# SPDX-License-Identifier: LGPL-2.1-or-later
# A required path (no "-") that does not exist: the command must not run, exit status 248.
. /usr/lib/systemd-landlock-tests/lib.sh

start_fails lltest-fs-missing.service $EXIT_MISSING
did_not_run lltest-fs-missing.service
expect_journal lltest-fs-missing.service "/srv/lltest/missing"
