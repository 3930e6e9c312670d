#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# systemd-landlock offline (--root=): security rows, scores and --threshold exit codes, verify with
# file:line, show, --json validity, the unit list, --with-systemd, and "run" with a stand-in systemd-run.
# TAP output. Usage: test-cli-offline.sh PATH/TO/systemd-landlock LANDLOCK_EXEC_PATH
set -u

BIN=$1
EXEC=$2      # LANDLOCK_EXEC_PATH, as configured
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/root
U=$R/etc/systemd/system
mkdir -p "$U/strong.service.d" "$R/usr/lib/systemd/system"
export SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat

cat > "$U/none.service" <<'UNIT'
[Service]
ExecStart=/usr/bin/true
UNIT
cat > "$U/weak.service" <<'UNIT'
[Service]
ExecStart=/usr/bin/true
ExecStartPre=+/usr/bin/echo privileged
LandlockPaths=/:rw
LandlockExecPaths=/usr
UNIT
cat > "$U/strong.service" <<'UNIT'
[Unit]
Description=strong

[Service]
Type=notify
ExecStart=/usr/bin/cat /etc/hostname
LandlockReadOnlyPaths=/etc/hostname
LandlockReadWritePaths=/var/lib/strong
LandlockBindPorts=tcp:none udp:none
LandlockConnectPorts=tcp:5432 udp:53
X-LandlockScope=signal abstract-unix-socket
UNIT
cat > "$U/strong.service.d/10-strict.conf" <<'UNIT'
[Service]
LandlockCompatibility=strict
UNIT
cat > "$U/semicolon.service" <<'UNIT'
[Service]
Type=oneshot
ExecStartPre=/usr/bin/true ; +/usr/bin/echo privileged
ExecStart=/usr/bin/true
LandlockReadOnlyPaths=/etc
UNIT
cat > "$U/bad.service" <<'UNIT'
[Service]
ExecStart=/usr/bin/true
LandlockPaths=relative:rw
LandlockBindPorts=tcp:99999
LandlockFoo=1
UNIT
cat > "$R/usr/lib/systemd/system/tmpl@.service" <<'UNIT'
[Service]
ExecStart=/usr/bin/true %i
LandlockPaths=/srv/%i
UNIT
cat > "$T/data.mount" <<'UNIT'
[Mount]
What=/dev/sda1
Where=/data
LandlockPaths=/data
UNIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
        n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
        shift
        [[ $# -gt 0 ]] && printf '%s\n' "$@" | sed 's/^/# /'
}
# check NAME EXPECTED_STATUS CMD…: runs CMD, keeps stdout+stderr in $out, status in $rc.
check() {
        local name=$1 want=$2
        shift 2
        out=$("$@" 2>&1)
        rc=$?
        if [[ $rc -eq $want ]]; then ok "$name"; else not_ok "$name (status $rc, expected $want)" "$out"; fi
}
# expect NAME PATTERN: $out contains PATTERN (fixed string).
expect() {
        if grep -qF -- "$2" <<< "$out"; then ok "$1"; else not_ok "$1: no \"$2\"" "$out"; fi
}
reject() {
        if grep -qF -- "$2" <<< "$out"; then not_ok "$1: unexpected \"$2\"" "$out"; else ok "$1"; fi
}
json_ok() {
        if python3 -m json.tool <<< "$out" > /dev/null 2>&1; then ok "$1"; else not_ok "$1: not JSON" "$out"; fi
}
# json_eq NAME PYTHON_EXPR EXPECTED: evaluates EXPR on the parsed $out (as "j").
json_eq() {
        local got
        got=$(python3 -c "import json,sys; j=json.load(sys.stdin); print($2)" <<< "$out" 2>&1)
        if [[ $got == "$3" ]]; then ok "$1"; else not_ok "$1: $2 = $got, expected $3" "$out"; fi
}

L=(--no-pager --root="$R")

check "--help" 0 "$BIN" --help
expect "--help lists the verbs" "security [UNIT...]"
check "--version" 0 "$BIN" --version
expect "--version prints the version" "systemd-landlock "
check "unknown verb fails" 1 "$BIN" frobnicate
check "bad --json value fails" 1 "$BIN" --json=yaml abi
check "bad --threshold fails" 1 "$BIN" "${L[@]}" --threshold=11 security none.service

# --- security: rows and scores ---
check "security without directives" 0 "$BIN" "${L[@]}" --abi=7 security none.service
expect "no directives: ✗ row" "✗ Landlock*=                      Service has no Landlock directives"
expect "no directives: overall 10.0 DANGEROUS" "Overall Landlock exposure level for none.service: 10.0 DANGEROUS"

check "security of a weak policy" 0 "$BIN" "${L[@]}" --abi=7 security weak.service
expect "weak: write on / is named with its file:line" "Write access granted on / (/etc/systemd/system/weak.service:4)"
expect "weak: exec on /usr" "Execute access granted on /usr"
expect "weak: write overlaps execute" "Write access on / overlaps execute access on /usr"
expect "weak: + command bypasses" "1 command(s) with the \"+\" prefix run without Landlock"
expect "weak: fail-open not judged offline" "Not checked offline"
weak=$(grep -o 'weak.service: [0-9.]*' <<< "$out" | cut -d' ' -f2)

# --root= as systemd-analyze takes it: relative to the working directory, with "." and "//" in it.
weak_out=$out
check "security with a relative --root" 0 bash -c 'cd "$(dirname "$1")" && "$0" --no-pager --root="./$(basename "$1")//." --abi=7 security weak.service' "$BIN" "$R"
if [[ $out == "$weak_out" ]]; then ok "a relative --root reads the same files"; else not_ok "a relative --root reads other files" "$out"; fi
check "an empty --root= resets it (then the manager is asked)" 1 "$BIN" --no-pager --root="$R" --root= security weak.service
reject "an empty --root= does not read the image" "Overall Landlock exposure level for weak.service"

check "security of a strong policy (options after the verb)" 0 "$BIN" security "${L[@]}" --abi=7 strong.service
expect "strong: scopes set through X- spelling" "✓ LandlockScope="
expect "strong: ABI 7 drops UDP and resolve-unix" "This kernel (ABI 7) does not enforce:"
expect "strong: strict from the drop-in" "✓ LandlockCompatibility="
strong=$(grep -o 'strong.service: [0-9.]*' <<< "$out" | cut -d' ' -f2)
if awk "BEGIN { exit !($strong < $weak && $weak < 10.0) }"; then ok "strong ($strong) < weak ($weak) < none (10.0)"
else not_ok "strong ($strong) < weak ($weak) < none (10.0)"; fi

check "strong policy on the newest ABI" 0 "$BIN" "${L[@]}" --abi=11 --json=short security strong.service
json_eq "ABI 11: nothing dropped" "[i['set'] for i in j[0]['items'] if i['json_field']=='LandlockKernel'][0]" "True"
json_eq "ABI 11: exposure 0.0 PERFECT" "(j[0]['exposure'], j[0]['level'])" "(0.0, 'PERFECT')"

check "security of a \";\" line" 0 "$BIN" "${L[@]}" --abi=7 security semicolon.service
expect "every command of a \";\" line is assessed: the \"+\" one bypasses" "1 command(s) with the \"+\" prefix run without Landlock"

check "security of invalid directives" 0 "$BIN" "${L[@]}" --abi=7 security bad.service
expect "invalid: said so" "Landlock directives are invalid: the unit refuses to start"

# --- --threshold ---
check "--threshold below the exposure exits 2" 2 "$BIN" "${L[@]}" --abi=7 --threshold=9.9 security none.service
check "--threshold at the exposure exits 0" 0 "$BIN" "${L[@]}" --abi=7 --threshold=10 security none.service
check "--threshold above a strong unit exits 0" 0 "$BIN" "${L[@]}" --abi=7 --threshold=5.0 security strong.service
check "--threshold with several units: one above exits 2" 2 "$BIN" "${L[@]}" --abi=7 --threshold=5.0 security strong.service none.service

# --- JSON ---
check "security --json=pretty" 0 "$BIN" "${L[@]}" --abi=7 --json=pretty security none.service weak.service
json_ok "security JSON parses"
json_eq "JSON: one object per unit" "[u['unit'] for u in j]" "['none.service', 'weak.service']"
json_eq "JSON: 16 items with weight and range" "len([i for i in j[0]['items'] if i['weight'] > 0 and i['range'] > 0])" "16"
json_eq "JSON: exposure of no directives" "j[0]['exposure']" "10.0"
json_eq "JSON: n/a rows have set null" "[i['set'] for i in j[0]['items'] if i['json_field']=='LandlockEnforced'][0]" "None"

# --- unit list ---
check "security without units lists unit files" 0 "$BIN" "${L[@]}" --abi=7 security
for u in none weak strong bad; do expect "list has $u.service" "$u.service"; done
reject "list leaves templates out" "tmpl@.service"
check "unknown unit fails" 1 "$BIN" "${L[@]}" security nosuch.service
expect "unknown unit: named" "nosuch.service"

# --- --with-systemd ---
if [[ -x /usr/bin/systemd-analyze ]]; then
        check "--with-systemd merges systemd-analyze" 0 "$BIN" "${L[@]}" --abi=7 --with-systemd security strong.service
        expect "--with-systemd: systemd rows" "NoNewPrivileges="
        expect "--with-systemd: systemd's figure" "systemd exposure level for strong.service:"
        expect "--with-systemd: combined figure" "Combined exposure level for strong.service:"
        check "--with-systemd --json" 0 "$BIN" "${L[@]}" --abi=7 --with-systemd --json=short security strong.service
        json_ok "--with-systemd JSON parses"
        json_eq "--with-systemd: combined = ceil(mean)" \
                "j[0]['combined_exposure'] == (int(j[0]['exposure']*10) + int(j[0]['systemd']['exposure']*10) + 1)//2/10" "True"
        json_eq "--with-systemd: systemd items kept" "len(j[0]['systemd']['items']) > 10" "True"
else
        not_ok "--with-systemd: /usr/bin/systemd-analyze missing"
fi

# --- verify ---
check "verify of a bad unit exits 2" 2 "$BIN" --no-pager verify "$U/bad.service"
expect "verify: relative path at :3" "$U/bad.service:3:"
expect "verify: bad port at :4" "$U/bad.service:4:"
expect "verify: unknown directive at :5" "$U/bad.service:5:"
check "verify of good units exits 0 silently" 0 "$BIN" --no-pager verify "$U/strong.service" "$U/none.service"
[[ -z $out ]] && ok "verify: no output for good units" || not_ok "verify: no output for good units" "$out"
check "verify: directive in [Mount] is an error" 2 "$BIN" --no-pager verify "$T/data.mount"
expect "verify: [Mount] at :4" "$T/data.mount:4:"
check "verify --json" 2 "$BIN" --no-pager --json=short verify "$U/bad.service" "$U/none.service"
json_ok "verify JSON parses"
json_eq "verify JSON: 3 errors, then none" "[len(f['errors']) for f in j]" "[3, 0]"
check "verify of a missing file fails" 1 "$BIN" --no-pager verify "$T/nope.service"
# Every kind of file systemd reads: drop-ins take the type of the unit they configure (NAME.service.d/,
# the top-level service.d/, or a [Service] section of a loose .conf); a file systemd stops reading
# early, and directives in a unit type whose commands are not wrapped, are errors too.
mkdir -p "$T/vd/nginx.service.d" "$T/vd/service.d" "$T/vd/loose"
printf '[Service]\nLandlockPaths=relative\n' > "$T/vd/nginx.service.d/override.conf"
printf '[Service]\nLandlockScope=bogus\n' > "$T/vd/service.d/10-all.conf"
printf '# comment\n[Service]\nLandlockBindPorts=tcp:99999\n' > "$T/vd/loose/x.conf"
printf '[Timer]\nOnCalendar=daily\nLandlockPaths=/etc\n' > "$T/vd/loose/a.timer"
printf '[Service]\nLandlockPaths=/etc\n[Bad\nLandlockPaths=/x\n' > "$T/vd/nginx.service.d/fatal.conf"
printf '[Service]\nLandlockPaths=/etc\n' > "$T/vd/nginx.service.d/good.conf"
check "verify: a broken drop-in exits 2" 2 "$BIN" --no-pager verify "$T/vd/nginx.service.d/override.conf"
expect "verify: drop-in error at :2" "$T/vd/nginx.service.d/override.conf:2: Failed to parse LandlockPaths="
check "verify: a broken top-level drop-in exits 2" 2 "$BIN" --no-pager verify "$T/vd/service.d/10-all.conf"
expect "verify: top-level drop-in error at :2" "$T/vd/service.d/10-all.conf:2: Failed to parse LandlockScope="
check "verify: a broken loose .conf exits 2" 2 "$BIN" --no-pager verify "$T/vd/loose/x.conf"
expect "verify: loose .conf error at :3" "$T/vd/loose/x.conf:3: Failed to parse LandlockBindPorts="
check "verify: directives in a .timer exit 2" 2 "$BIN" --no-pager verify "$T/vd/loose/a.timer"
expect "verify: .timer directive at :3" "$T/vd/loose/a.timer:3: LandlockPaths= in a file that is not"
check "verify: a drop-in systemd stops reading exits 2" 2 "$BIN" --no-pager verify "$T/vd/nginx.service.d/fatal.conf"
expect "verify: where systemd stops reading" "$T/vd/nginx.service.d/fatal.conf:3: Invalid section header"
check "verify: a good drop-in exits 0" 0 "$BIN" --no-pager verify "$T/vd/nginx.service.d/good.conf"

# --- show ---
echo strong-host > "$R/etc/hostname"
check "show strong.service" 0 "$BIN" "${L[@]}" --abi=7 show strong.service
# A rule on a file shows only the rights a file can take (the kernel takes no others).
expect "show: a file rule shows file rights" "/etc/hostname  read-file  ("
reject "show: no directory right on a file rule" "/etc/hostname  read-file,read-dir"
expect "show: directive with file:line" "LandlockReadWritePaths=/var/lib/strong  (/etc/systemd/system/strong.service:8)"
expect "show: drop-in directive with file:line" "LandlockCompatibility=strict  (/etc/systemd/system/strong.service.d/10-strict.conf:2)"
expect "show: the ABI compiled for" "Kernel rules on Landlock ABI 7"
expect "show: port rule" "connect-tcp      5432"
expect "show: strict refuses what ABI 7 lacks" "strict: the unit refuses to start"
# $NOTIFY_SOCKET gets a rule only where resolve-unix is handled (ABI 9), as the enforcer adds it
# (landlock_policy_add_implicit(), the one definition for both).
reject "show: no notify socket grant on ABI 7" "/run/systemd/notify"
expect "show: harmless devices on ABI 7" "/dev/null  write-file,read-file"
check "show strong.service on ABI 9" 0 "$BIN" "${L[@]}" --abi=9 show strong.service
expect "show: notify socket grant on ABI 9" "/run/systemd/notify  resolve-unix"
check "show --json" 0 "$BIN" "${L[@]}" --abi=4 --json=pretty show strong.service
json_ok "show JSON parses"
json_eq "show JSON: compiled for --abi" "j['compiled']['abi']" "4"
json_eq "show JSON: no scopes on ABI 4" "j['compiled']['scoped']" "[]"
json_eq "show JSON: drops name the scopes" "any('scope' == d['kind'] for d in j['compiled']['drops'])" "True"
json_eq "show JSON: directive sources" "[(d['key'], d['line']) for d in j['directives']][-1]" "('LandlockCompatibility', 2)"
check "show takes one unit" 1 "$BIN" "${L[@]}" show a.service b.service
# Bare names, as systemctl takes them: "strong" is strong.service, in every verb that takes units.
check "show with a bare unit name" 0 "$BIN" "${L[@]}" --abi=7 show strong
expect "show: the bare name is the service" "strong.service"
expect "show: the bare name's directives" "LandlockReadWritePaths=/var/lib/strong"
check "security with a bare unit name" 0 "$BIN" "${L[@]}" --abi=7 security strong
expect "security: the bare name is the service" "exposure level for strong.service"
check "show of a path is refused" 1 "$BIN" "${L[@]}" show /etc/passwd
expect "show: a path is not a unit name" "is not a unit name"

# --- run, with a stand-in for systemd-run that prints its arguments ---
cat > "$T/fake-run" <<'SH'
#!/bin/sh
for a in "$@"; do printf '<%s>\n' "$a"; done
SH
chmod +x "$T/fake-run"
export SYSTEMD_LANDLOCK_SYSTEMD_RUN=$T/fake-run
check "run builds the systemd-run command" 0 "$BIN" run --unit=x -p Description=hello --property LandlockReadOnlyPaths=/etc \
        -pX-LandlockScope=signal --wait -- /usr/bin/cat /etc/hostname
expect "run: other properties pass through" "<-p>
<Description=hello>"
expect "run: --unit passes through" "<--unit=x>"
reject "run: Landlock properties do not reach systemd-run" "<LandlockReadOnlyPaths=/etc>"
expect "run: the enforcer wraps the command, named after the unit" "<--wait>
<-->
<$EXEC>
<--unit=x>"
expect "run: the command after the policy" "<-->
</usr/bin/cat>
</etc/hostname>"
expect "run: the path in the policy words" "/etc"
expect "run: the scope in the policy words" "signal"
check "run stops at the first non-option word" 0 "$BIN" run -p LandlockPaths=/srv /usr/bin/env -p x
expect "run: command options are the command's" "</usr/bin/env>
<-p>
<x>"
check "run refuses invalid properties" 1 "$BIN" run -p LandlockPaths=relative -- /usr/bin/true
expect "run: the error names the property" "relative"
reject "run: nothing ran" "<--"
check "run needs a command" 1 "$BIN" run -p LandlockPaths=/srv

# Every command of the service goes through the enforcer, however systemd-run is given it.
check "run wraps the service's command properties" 0 "$BIN" run --unit=x -p LandlockPaths=/srv \
        -p "ExecStartPre=/bin/echo pre" --property="ExecStartPost=-/bin/echo post" --prop=ExecCondition=/bin/true \
        '-tpExecReload=:/bin/kill $MAINPID' -p "ExecStop=@/bin/echo stopper now" -p ExecStopPostEx=/bin/true \
        -- /usr/bin/true
expect "run: ExecStartPre= wrapped" "<ExecStartPre=$EXEC --unit=x --path=/srv:ro -- /bin/echo pre>"
expect "run: --property= and the - prefix" "<ExecStartPost=-$EXEC --unit=x --path=/srv:ro -- /bin/echo post>"
expect "run: an abbreviated --property" "<ExecCondition=$EXEC --unit=x --path=/srv:ro -- /bin/true>"
expect "run: -p in an option group, the : prefix" "<-t>
<-p>
<ExecReload=:$EXEC --unit=x --path=/srv:ro -- /bin/kill \$MAINPID>"
# (how the enforcer takes argv[0] is the generator's business: only that it does)
expect "run: the @ prefix is wrapped" "<ExecStop=$EXEC --unit=x --path=/srv:ro --"
expect "run: the @ prefix keeps argv[0]" "stopper"
expect "run: …Ex properties" "<ExecStopPostEx=$EXEC --unit=x --path=/srv:ro -- /bin/true>"
reject "run: no command property unwrapped" "<ExecStartPre=/bin"
check "run keeps + commands as written, and says so" 0 "$BIN" run -p LandlockPaths=/srv -p "ExecStartPre=+/bin/true" \
        -p ExecStop= -p ExecSearchPath=/opt/bin -- /usr/bin/true
expect "run: + stays unwrapped" "<ExecStartPre=+/bin/true>"
expect "run: + is warned about" "full privileges, outside Landlock"
expect "run: an empty command property resets" "<ExecStop=>"
expect "run: ExecSearchPath= is no command" "<ExecSearchPath=/opt/bin>"
check "run refuses a ';' in a command property" 1 "$BIN" run -p LandlockPaths=/srv -p "ExecStartPre=/bin/true ; /bin/false" \
        -- /usr/bin/true
expect "run: the ';' error says what to do" "give each command its own -p ExecStartPre="
reject "run: nothing ran after the ';' error" "<--"
check "run refuses the socket's command properties" 1 "$BIN" run -p LandlockPaths=/srv --socket-property=ListenStream=80 \
        --socket-property=ExecStartPre=/bin/true -- /usr/bin/true
expect "run: the socket error names the property" "--socket-property ExecStartPre=/bin/true"
check "run refuses an Exec property it does not know" 1 "$BIN" run -p LandlockPaths=/srv -p ExecFrobnicate=/bin/true \
        -- /usr/bin/true
expect "run: the unknown property is named" "-p ExecFrobnicate=/bin/true"
check "run refuses an ambiguous option" 1 "$BIN" run -p LandlockPaths=/srv --p=ExecStartPre=/bin/true -- /usr/bin/true
expect "run: the ambiguous option is named" "--p=ExecStartPre=/bin/true"
check "run refuses an unknown option" 1 "$BIN" run -p LandlockPaths=/srv --frobnicate ExecStartPre=/bin/true -- /usr/bin/true
reject "run: nothing ran after an unknown option" "<--"
check "run: a \$ in a policy path stays a \$" 0 "$BIN" run -p 'LandlockPaths=/srv/$x' -p ExecStartPre=/bin/true -- /usr/bin/true
expect "run: \$\$ in the main command's words" "<--path=/srv/\$\$x:ro>"
expect "run: \$\$ in a command property" "<ExecStartPre=$EXEC --path=/srv/\$\$x:ro -- /bin/true>"
check "run --scope: systemd-run expands nothing" 0 "$BIN" run --scope -p 'LandlockPaths=/srv/$x' -- /usr/bin/true
expect "run --scope: a single \$" "<--path=/srv/\$x:ro>"
unset SYSTEMD_LANDLOCK_SYSTEMD_RUN

echo "1..$n"
exit $((failed > 0))
