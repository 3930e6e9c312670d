# SPDX-License-Identifier: LGPL-2.1-or-later
# A confined service cannot redirect its own rules: granted rw on /srv/lltest/state and rx on
# /srv/lltest/state/bin, it replaces bin with a symlink to /. The next start refuses to follow it: exit
# 248 for a required rule, a warning and a skipped rule for an optional one; never rx on /.
. /usr/lib/systemd-landlock-tests/lib.sh

fresh_state() {
        rm -rf /srv/lltest/state
        mkdir -p /srv/lltest/state/bin
        cp "$PROBE" /srv/lltest/state/bin/probe
}

fresh_state
start_ok lltest-symlink-swap.service
expect lltest-symlink-swap.service \
        "read /etc/lltest/secret: EACCES" \
        "exec /srv/lltest/state/bin/probe: ok" \
        "symlink-over /srv/lltest/state/bin: ok"
[[ $(readlink /srv/lltest/state/bin) == / ]] || fail "the service did not manage to swap its bin directory"
start_fails lltest-symlink-swap.service $EXIT_MISSING
did_not_run lltest-symlink-swap.service
expect_journal lltest-symlink-swap.service "not following the symlink /srv/lltest/state/bin -> / on the way to /srv/lltest/state/bin: it lies in /srv/lltest/state, where the service may create, remove or rename entries"

fresh_state
start_ok lltest-symlink-swap-optional.service
expect lltest-symlink-swap-optional.service "symlink-over /srv/lltest/state/bin: ok"
start_ok lltest-symlink-swap-optional.service
# Through the symlink to /, the secret would be readable if the rule had followed it.
expect lltest-symlink-swap-optional.service \
        "read /etc/lltest/secret: EACCES" \
        "read /srv/lltest/state/bin/etc/lltest/secret: EACCES"
expect_journal lltest-symlink-swap-optional.service "Skipping optional path /srv/lltest/state/bin: not following the symlink"
rm -rf /srv/lltest/state
