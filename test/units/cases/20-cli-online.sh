# SPDX-License-Identifier: LGPL-2.1-or-later
# systemd-landlock against the running manager: abi, show, security, verify and run.
. /usr/lib/systemd-landlock-tests/lib.sh

have_cli || fail "systemd-landlock is not installed in the staged build"
abi=$(cat /run/lltest/abi)

out=$(systemd-landlock --no-pager abi 2>&1) || fail "systemd-landlock abi failed: $out"
grep -qw "$abi" <<< "$out" || fail "systemd-landlock abi does not show ABI $abi: $out"

out=$(systemd-landlock --no-pager show lltest-fs.service 2>&1) || fail "systemd-landlock show failed: $out"
for p in /srv/lltest/ro /srv/lltest/rw /srv/lltest/paths /srv/lltest/exec /srv/lltest/xro; do
        grep -qF "$p" <<< "$out" || fail "systemd-landlock show lltest-fs.service does not mention $p: $out"
done

out=$(systemd-landlock --no-pager security lltest-fs.service 2>&1) || fail "systemd-landlock security failed: $out"
grep -q "lltest-fs.service" <<< "$out" || fail "the security report does not name the unit: $out"
out=$(systemd-landlock --no-pager --json=short security lltest-fs.service 2>&1) ||
        fail "systemd-landlock --json=short security failed: $out"
[[ $out == [\[{]* ]] || fail "--json=short did not print JSON: $out"

systemd-landlock --no-pager verify /usr/lib/systemd/system/lltest-valid.service >/dev/null 2>&1 ||
        fail "systemd-landlock verify rejects a valid unit"
out=$(systemd-landlock --no-pager verify /usr/lib/systemd/system/lltest-invalid-access.service 2>&1) &&
        fail "systemd-landlock verify accepts an unknown access right: $out"
grep -qF "lltest-invalid-access.service:8" <<< "$out" || fail "verify does not name file:line: $out"

u=lltest-run.service
reset_unit $u
systemd-landlock run --unit=$u --wait -p LandlockReadOnlyPaths=/srv/lltest/ro \
        -p StandardOutput=append:$OUT/$u.out -- $PROBE read /etc/lltest/secret read /srv/lltest/ro/file ||
        fail "systemd-landlock run failed"
expect $u "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"

# The service's other commands, given as properties, go through the enforcer too; "+" ones do not.
u=lltest-run-cmds.service
reset_unit $u
systemd-landlock run --unit=$u --wait -p LandlockReadOnlyPaths=/srv/lltest/ro -p StandardOutput=append:$OUT/$u.out \
        -p "ExecStartPre=$PROBE tag pre read /etc/lltest/secret" \
        -p "ExecStartPre=+$PROBE tag plus read /etc/lltest/secret" \
        -p "ExecStartPost=$PROBE tag post read /etc/lltest/secret" \
        -p "ExecStopPost=-@$PROBE lltest-argv0 tag stoppost argv0 read /etc/lltest/secret" \
        -- $PROBE tag main read /etc/lltest/secret read /srv/lltest/ro/file ||
        fail "systemd-landlock run with command properties failed"
expect $u "pre read /etc/lltest/secret: EACCES" "plus read /etc/lltest/secret: ok" \
        "post read /etc/lltest/secret: EACCES" "stoppost argv0 lltest-argv0: ok" \
        "stoppost read /etc/lltest/secret: EACCES" "main read /etc/lltest/secret: EACCES" \
        "main read /srv/lltest/ro/file: ok"

# A "$" in a Landlock path is a "$" (the manager expands the command's own words: "$$" there).
d='/run/lltest-run-$dir'
mkdir -p "$d" && echo dollar > "$d/file" || fail "cannot create $d"
u=lltest-run-dollar.service
reset_unit $u
systemd-landlock run --unit=$u --wait -p "LandlockReadOnlyPaths=$d" -p StandardOutput=append:$OUT/$u.out \
        -- $PROBE read '/run/lltest-run-$$dir/file' read /etc/lltest/secret ||
        fail "systemd-landlock run with a \$ in a Landlock path failed"
expect $u "read $d/file: ok" "read /etc/lltest/secret: EACCES"
