# SPDX-License-Identifier: LGPL-2.1-or-later
# A required path (no "-") that does not exist: the command must not run, exit status 248.
. /usr/lib/systemd-landlock-tests/lib.sh

start_fails lltest-fs-missing.service $EXIT_MISSING
[[ ! -s $OUT/lltest-fs-missing.service.out ]] || fail "the command ran although a required path is missing"
expect_journal lltest-fs-missing.service "/srv/lltest/missing"
