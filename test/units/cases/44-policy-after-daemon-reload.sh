# SPDX-License-Identifier: LGPL-2.1-or-later
# A policy change takes effect at the next start, not at daemon-reload: "show" and "security" say when the
# running processes still have the old policy. A daemon-reload that changes nothing is not a change (the
# drop-in is rewritten with a new mtime, the policy is the same), and a restart applies the new one.
. /usr/lib/systemd-landlock-tests/lib.sh

have_cli || fail "systemd-landlock is not installed in the staged build"
u=lltest-stale.service
L=(systemd-landlock --no-pager)
D=/run/systemd/system/$u.d
trap 'rm -rf $D; systemctl daemon-reload' EXIT

# show_policy WANT: the Policy line of "show" says WANT (current|old); the enforcer's record reaches the
# journal asynchronously.
show_policy() {
        local want=$1 i out
        for i in $(seq 50); do
                out=$("${L[@]}" --json=short show $u 2>&1)
                grep -q "\"running_policy\":\"$want\"" <<< "$out" && return 0
                sleep 0.1
        done
        fail "$u: show does not say the running policy is '$want': $out"
}

start_ok $u
wait_for_output $u "read /srv/lltest/ro/file: ok"
show_policy current

systemctl daemon-reload
show_policy current

mkdir -p $D
printf '[Service]\nLandlockReadOnlyPaths=/etc/lltest\n' > $D/50-more.conf
systemctl daemon-reload
show_policy old
out=$("${L[@]}" show $u 2>&1)
grep -q "Policy:   OLD: the running processes were started with policy .* systemctl restart $u" <<< "$out" ||
        fail "$u: show's text does not say the policy is old: $out"
out=$("${L[@]}" security $u 2>&1)
grep -q "✗ .*still have the policy from before the last daemon-reload" <<< "$out" ||
        fail "$u: security does not flag the old policy: $out"

systemctl restart $u || fail "systemctl restart $u failed"
show_policy current
out=$("${L[@]}" security $u 2>&1)
grep -q "still have the policy" <<< "$out" && fail "$u: security still flags the policy after a restart: $out"
systemctl stop $u
