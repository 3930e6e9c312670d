# SPDX-License-Identifier: LGPL-2.1-or-later
# systemd-landlock security/show against the running manager: wrapped commands pass the fail-open check,
# "+" commands are reported, a unit the generator never saw (loaded without daemon-reload) is reported
# as fail-open, --threshold fails on it, and --with-systemd merges systemd-analyze's rows.
. /usr/lib/systemd-landlock-tests/lib.sh

have_cli || fail "systemd-landlock is not installed in the staged build"
L=(systemd-landlock --no-pager)

# lltest-cmds.service: every command but the "+" one goes through the enforcer.
out=$("${L[@]}" --json=short security lltest-cmds.service 2>&1) || fail "security lltest-cmds.service failed: $out"
item_set() {    # item_set JSON_FIELD: the "set" field of that row (no python3 in the matrix roots)
        grep -o "{\"set\":[a-z]*,\"name\":\"[^\"]*\",\"json_field\":\"$1\"" <<< "$out" | sed 's/^{"set":\([a-z]*\),.*/\1/'
}
[[ $(item_set LandlockEnforced) == true ]] || fail "lltest-cmds: the fail-open row is not ✓: $out"
[[ $(item_set LandlockPrivileged) == false ]] || fail "lltest-cmds: the \"+\" command is not reported: $out"
# The fail-open row and the privileged row agree: "every command" leaves out the "+" one, and says so.
out=$("${L[@]}" security lltest-cmds.service 2>&1) || fail "security lltest-cmds.service failed: $out"
grep -qF 'goes through the enforcer, except the 1 with "+"' <<< "$out" ||
        fail "lltest-cmds: the fail-open row does not count the \"+\" command apart: $out"

out=$("${L[@]}" show lltest-cmds.service 2>&1) || fail "show lltest-cmds.service failed: $out"
grep -q "ExecStart=.*through the enforcer" <<< "$out" || fail "show: ExecStart not shown as wrapped: $out"
grep -q "ExecStartPre=.*privileged, not confined" <<< "$out" || fail "show: the + command not shown as privileged: $out"

# A unit file written after the last daemon-reload: the manager loads it on demand, the generator has
# never seen it, so its directives are not enforced.
u=lltest-failopen.service
TOUCHED+=("$u")
cat > /etc/systemd/system/$u <<'UNIT'
[Service]
ExecStart=/usr/bin/sleep 1
LandlockReadOnlyPaths=/srv/lltest/ro
UNIT
out=$("${L[@]}" security $u 2>&1) || fail "security $u failed: $out"
grep -q "✗ ExecStart= (enforcer) .*do not go through the enforcer" <<< "$out" || fail "$u: fail-open not reported: $out"
"${L[@]}" --threshold=1.0 security $u > /dev/null 2>&1
rc=$?
[[ $rc == 2 ]] || fail "$u: --threshold=1.0 exited $rc, expected 2"
out=$("${L[@]}" show $u 2>&1) || fail "show $u failed: $out"
grep -q "NOT through the enforcer" <<< "$out" || fail "show $u: fail-open not shown: $out"

# After daemon-reload the generator wraps it.
systemctl daemon-reload
out=$("${L[@]}" security $u 2>&1) || fail "security $u after daemon-reload failed: $out"
grep -q "✓ ExecStart= (enforcer) " <<< "$out" || fail "$u after daemon-reload: still fail-open: $out"
rm -f /etc/systemd/system/$u

# --with-systemd: systemd-analyze's rows, then ours, and three overall figures.
out=$("${L[@]}" --with-systemd security lltest-fs.service 2>&1) || fail "--with-systemd failed: $out"
for s in "NoNewPrivileges=" "LandlockPaths=" "systemd exposure level for lltest-fs.service" \
         "Combined exposure level for lltest-fs.service"; do
        grep -qF "$s" <<< "$out" || fail "--with-systemd: no \"$s\": $out"
done

# Without a unit: every loaded service (as systemd-analyze security lists them), one line each; the
# runner of this suite is running, so it is loaded.
out=$("${L[@]}" security 2>&1) || fail "security without units failed: $out"
grep -q "^lltest-runner.service " <<< "$out" || fail "the unit list lacks lltest-runner.service: $out"
grep -q "^dbus.service " <<< "$out" || fail "the unit list lacks dbus.service: $out"
