#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# "systemd-landlock run" end to end on this kernel, without a manager: a stand-in for systemd-run drops
# its own options and executes the rest, with the installed enforcer path replaced by the built one. The
# Landlock properties must really confine the command. TAP output.
# Usage: test-cli-run.sh PATH/TO/systemd-landlock PATH/TO/built/systemd-landlock-exec LANDLOCK_EXEC_PATH
set -u

BIN=$1 BUILT_EXEC=$2 EXEC=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/ro" "$T/rw"
echo allowed > "$T/ro/file"
echo secret > "$T/secret"

cat > "$T/fake-run" <<SH
#!/bin/bash
# Everything up to the first "--" is for systemd-run. The -p ExecStartPre= commands run first, as the
# manager would run them (simple words only: eval reads them as a shell would).
pre=()
while [[ \$# -gt 0 && \$1 != -- ]]; do
        if [[ \$1 == -p && \$2 == ExecStartPre=* ]]; then pre+=("\${2#ExecStartPre=}"); shift; fi
        shift
done
shift
for c in "\${pre[@]}"; do
        [[ \$c == "$EXEC "* ]] && c="$BUILT_EXEC \${c#"$EXEC "}"
        eval "\$c" || exit
done
[[ \$1 == "$EXEC" ]] && set -- "$BUILT_EXEC" "\${@:2}"
exec "\$@"
SH
chmod +x "$T/fake-run"
export SYSTEMD_LANDLOCK_SYSTEMD_RUN=$T/fake-run

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; printf '%s\n' "$@" | sed 's/^/# /'; }

if ! "$BIN" --no-pager abi | grep -q "^Landlock: ABI"; then
        # CI machines have Landlock: this must not pass silently there.
        not_ok "Landlock is not available on this kernel"
        echo "1..$n"; exit 1
fi

out=$("$BIN" run -p LandlockReadOnlyPaths="$T/ro" -- /bin/cat "$T/ro/file" 2>/dev/null)
[[ $? -eq 0 && $out == allowed ]] && ok "run: read beneath a read-only path works" || not_ok "run: read beneath a read-only path works" "$out"

out=$("$BIN" run -p LandlockReadOnlyPaths="$T/ro" -- /bin/cat "$T/secret" 2>&1)
[[ $? -ne 0 && $out == *"Permission denied"* ]] && ok "run: read outside the policy is denied (EACCES)" ||
        not_ok "run: read outside the policy is denied (EACCES)" "$out"

out=$("$BIN" run -p LandlockReadOnlyPaths="$T/ro" -- /bin/sh -c "echo x > '$T/ro/new'" 2>&1)
[[ $? -ne 0 && ! -e $T/ro/new ]] && ok "run: write beneath a read-only path is denied" ||
        not_ok "run: write beneath a read-only path is denied" "$out"

out=$("$BIN" run -p LandlockReadWritePaths="$T/rw" -p Description=ignored -- /bin/sh -c "echo x > '$T/rw/new'" 2>&1)
[[ $? -eq 0 && -e $T/rw/new ]] && ok "run: write beneath a read-write path works" ||
        not_ok "run: write beneath a read-write path works" "$out"

out=$("$BIN" run -p LandlockReadOnlyPaths="$T/ro" -p "ExecStartPre=/bin/cat $T/secret" -- /bin/cat "$T/ro/file" 2>&1)
rc=$?
# Denied, and nothing after it ran: neither the secret nor the main command's "allowed" line.
[[ $rc -ne 0 && $out == *"Permission denied"* ]] && ! grep -qx -e secret -e allowed <<< "$out" &&
        ok "run: an ExecStartPre= property runs under the policy too" ||
        not_ok "run: an ExecStartPre= property runs under the policy too" "$out"

out=$("$BIN" run -p LandlockReadOnlyPaths="$T/ro" -p "ExecStartPre=/bin/cat $T/ro/file" -- /bin/cat "$T/ro/file" 2>/dev/null)
[[ $? -eq 0 && $out == allowed$'\n'allowed ]] && ok "run: an ExecStartPre= property runs, then the command" ||
        not_ok "run: an ExecStartPre= property runs, then the command" "$out"

out=$("$BIN" run -p LandlockCompatibility=strict -p LandlockPaths="$T/ro:resolve-unix" -- /bin/true 2>&1)
rc=$?
abi=$("$BIN" --no-pager abi | sed -n 's/^Landlock: ABI \([0-9]*\).*/\1/p')
if [[ $abi -lt 9 ]]; then
        [[ $rc -ne 0 ]] && ok "run: strict refuses resolve-unix on ABI $abi" || not_ok "run: strict refuses resolve-unix on ABI $abi" "$out"
else
        [[ $rc -eq 0 ]] && ok "run: strict accepts resolve-unix on ABI $abi" || not_ok "run: strict accepts resolve-unix on ABI $abi" "$out"
fi

echo "1..$n"
exit $((failed > 0))
