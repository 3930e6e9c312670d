# SPDX-License-Identifier: LGPL-2.1-or-later
# The examples of systemd-landlock(1), of README.md ("What a unit says", the presets) and the SYNOPSIS of
# systemd.landlock(5), taken from the documents as they are printed (test/docs/extract.sh) and run under
# PID 1. The programs they name, /usr/bin/myd and /usr/bin/mydaemon, are the stand-in helpers/myd.c,
# which reports what it could do; myd.service and the user myd are the stage's.
. /usr/lib/systemd-landlock-tests/lib.sh
. $T/docs/extract.sh

have_cli || fail "systemd-landlock is not installed in the staged build"
abi=$(cat /run/lltest/abi)
MAN1=$T/docs/systemd-landlock.1.in
MAN5=$T/docs/systemd.landlock.5.in
README=$T/docs/README.md
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

mkdir -p /etc/myd /etc/mydaemon /var/lib/mydaemon
echo "conf of myd" > /etc/myd/myd.conf
echo "conf of mydaemon" > /etc/mydaemon/mydaemon.conf
id myd > /dev/null || fail "no user myd (lltest.sysusers)"

# run_example TEXT-OF-THE-LEAD-IN: the example of systemd-landlock(1) after that text, run by bash in $W.
run_example() {
        local ex
        ex=$(roff_example "$MAN1" "$1") || fail "systemd-landlock(1): $ex"
        note "systemd-landlock(1): $ex"
        (cd "$W" && bash -c "$ex")
}

# ---- systemd-landlock(1) ----

# "Fail a CI job …": myd.service's exposure is within 3.0; the same unit without its Landlock lines is not.
mkdir -p "$W/image/etc/systemd/system"
cp /usr/lib/systemd/system/myd.service "$W/image/etc/systemd/system/"
out=$(run_example "Fail a CI job when" 2>&1) || fail "the security example failed on myd.service: $out"
grep -q "myd.service" <<< "$out" || fail "the security example does not name myd.service: $out"
grep -v '^Landlock' /usr/lib/systemd/system/myd.service > "$W/image/etc/systemd/system/myd.service"
out=$(run_example "Fail a CI job when" 2>&1) && fail "the security example passed myd.service without Landlock: $out"

# "What a unit gets on a 6.1 kernel": its rules on ABI 2, and what ABI 2 does not enforce.
out=$(run_example "What a unit gets on a 6.1 kernel" 2>&1) || fail "the show example failed: $out"
for want in "ABI 2" "/etc/myd  read-file,read-dir" "connect-tcp (ABI 4"; do
        grep -qF "$want" <<< "$out" || fail "the show example does not say \"$want\": $out"
done

# "A transient service …": myd, as user myd, reads /etc/myd, may connect to 5432 only (nothing listens:
# refused, not denied), and is denied the rest.
out=$(run_example "A transient service that may only read" 2>&1) || fail "the run example failed: $out"
u=$(sed -n 's/^Running as unit: \([^ ]*\.service\).*/\1/p' <<< "$out")
[[ -n $u ]] || fail "the run example did not say its unit: $out"
TOUCHED+=("$u")
journalctl --sync 2>/dev/null
report=$(journalctl --no-pager -b -o cat -u "$u")
want=("read /etc/myd/myd.conf: ok" "read /etc/lltest/secret: EACCES" "connect tcp 5432: ECONNREFUSED"
      "uid: $(id -u myd)")
((abi >= 4)) && want+=("connect tcp 5433: EACCES")
for w in "${want[@]}"; do
        grep -qxF "$w" <<< "$report" || fail "$u: expected '$w' in its output: $report"
done

# "Lint a unit before installing it": myd.service verifies; with a relative path it does not.
cp /usr/lib/systemd/system/myd.service "$W/myd.service"
out=$(run_example "Lint a unit before installing it" 2>&1) || fail "the verify example rejects myd.service: $out"
sed -i 's|^LandlockReadOnlyPaths=/etc/myd$|LandlockReadOnlyPaths=etc/myd|' "$W/myd.service"
out=$(run_example "Lint a unit before installing it" 2>&1) && fail "the verify example accepts a relative path: $out"

# ---- README.md "What a unit says", the SYNOPSIS of systemd.landlock(5), README.md's presets ----

# mydaemon_runs: mydaemon.service starts through the enforcer and its report says what the unit grants.
mydaemon_runs() {
        local what=$1 w i
        rm -f /var/lib/mydaemon/report
        systemctl daemon-reload
        start_ok mydaemon.service
        systemctl show -p ExecStart mydaemon.service | grep -q landlock-exec ||
                fail "$what: mydaemon's ExecStart= does not go through the enforcer"
        for i in $(seq 100); do [[ -s /var/lib/mydaemon/report ]] && break; sleep 0.1; done
        want=("read /etc/mydaemon/mydaemon.conf: ok" "read /etc/lltest/secret: EACCES"
              "connect tcp 5432: ECONNREFUSED" "write /var/lib/mydaemon/report: ok")
        ((abi >= 4)) && want+=("connect tcp 5433: EACCES")
        ((abi >= 6)) && want+=("signal 1: EPERM")
        for w in "${want[@]}"; do
                grep -qxF "$w" /var/lib/mydaemon/report ||
                        fail "$what: expected '$w' in mydaemon's report: $(cat /var/lib/mydaemon/report 2>&1)"
        done
        systemctl stop mydaemon.service
}

rm -rf /etc/systemd/system/mydaemon.service.d
markdown_example "$README" "## What a unit says" > /etc/systemd/system/mydaemon.service ||
        fail "README.md: no \"What a unit says\" example"
mydaemon_runs "README.md, What a unit says"

roff_example "$MAN5" ".SH SYNOPSIS" > /etc/systemd/system/mydaemon.service || fail "systemd.landlock(5): no SYNOPSIS example"
mydaemon_runs "systemd.landlock(5), SYNOPSIS"

# The presets, as a drop-in of the README's unit: still confined the same, and show names the presets.
# The booted tree (volatile) may lack /etc/nsswitch.conf, which every Debian system has (the nameservice
# preset's grant on it is optional); one is written, so that show has it to list.
[[ -e /etc/nsswitch.conf ]] || printf 'passwd: files\ngroup: files\nhosts: files dns\n' > /etc/nsswitch.conf
markdown_example "$README" "## What a unit says" > /etc/systemd/system/mydaemon.service
mkdir -p /etc/systemd/system/mydaemon.service.d
markdown_example "$README" "can override in" > /etc/systemd/system/mydaemon.service.d/presets.conf ||
        fail "README.md: no preset example"
grep -q '^LandlockPreset=' /etc/systemd/system/mydaemon.service.d/presets.conf || fail "README.md: the preset example names no preset"
mydaemon_runs "README.md, presets"
out=$(systemd-landlock --no-pager show mydaemon.service 2>&1) || fail "systemd-landlock show mydaemon.service failed: $out"
for p in base nameservice tls; do
        grep -q "presets/$p.preset" <<< "$out" || fail "show does not name the preset file of $p: $out"
done
grep -q "/etc/nsswitch.conf" <<< "$out" || fail "show does not list the nameservice preset's /etc/nsswitch.conf: $out"
rm -rf /etc/systemd/system/mydaemon.service /etc/systemd/system/mydaemon.service.d
systemctl daemon-reload

# ---- systemd.landlock(5), ERRORS: the generator's message, "..." standing for what the page leaves out ----

msg=$(roff_example "$MAN5" "known) make the unit refuse to start") || fail "systemd.landlock(5): no ERRORS example"
[[ $msg != *[][*?]* ]] || fail "systemd.landlock(5): the ERRORS example has a glob character: $msg"
unit=$(sed -n 's|^\(/etc/systemd/system/[^:]*\):\([0-9]*\): Failed to parse \([A-Za-z]*\)= value "\([^"]*\)".*|\1 \2 \3 \4|p' <<< "$msg")
read -r file line key value <<< "$unit"
[[ -n $value ]] || fail "systemd.landlock(5): the ERRORS example is not FILE:LINE: Failed to parse KEY= value \"VALUE\": $msg"
# The unit the message names: the malformed directive on the line it names.
{ echo "[Service]"; echo "ExecStart=/bin/true"; for ((i = 3; i < line; i++)); do echo "# line $i"; done; echo "$key=$value"; } > "$file"
u=$(basename "$file")
systemctl daemon-reload
# The unit refuses to start, and the message is in the journal: the enforcer logs it to the unit's (the
# kernel log, where the generator writes it, is not the container's).
start_fails "$u" "$EXIT_INVALID"
pat=${msg//.../*}
found=no
for i in $(seq 50); do
        while IFS= read -r l; do
                # shellcheck disable=SC2053
                [[ $l == *$pat* ]] && found=yes
        done < <(journalctl --no-pager -b -o cat 2>/dev/null)
        [[ $found == yes ]] && break
        sleep 0.1
done
[[ $found == yes ]] || fail "the journal has no line like systemd.landlock(5)'s: $msg"
rm -f "$file"
systemctl daemon-reload
