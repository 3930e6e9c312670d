#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the QEMU guest (systemd 262 as PID 1, audit records in the journal), started by
# lltest-audit.service. Writes TAP lines and the loop's log to /dev/ttyS1, then powers off: denials of a
# too-tight unit, the suggest loop for nginx and redis-server, then what denials, security and suggest say
# without the journal's audit socket and with audit switched off.
set -uo pipefail

OUT=/dev/ttyS1
exec 3>"$OUT"
n=0
say() { echo "$*" | sed '2,$s/^/#   /' >&3; }
ok() { n=$((n + 1)); say "ok $n - $1"; }
not_ok() { n=$((n + 1)); say "not ok $n - $1"; shift; for l in "$@"; do say "#   $l"; done; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name" "command: $*"; fi; }
MAX_ROUNDS=8

say "# $(systemctl --version | head -n1), kernel $(uname -r)"

ll=systemd-landlock
# Audit records reach journald through its audit socket, a little after the event: give them a second,
# then have journald take in everything already sent to it.
settle() { sleep 1; journalctl --sync 2>/dev/null; }
json_field() {  # json_field FIELD < one JSON array: prints FIELD of every element, one a line
        perl -MJSON::PP -e 'my $a = decode_json(join "", <STDIN>); print "$_->{'"$1"'}\n" for @$a'
}

# The unit's name goes through the environment: in Perl's source, "postgresql@18-main" would interpolate.
denials_of() {  # denials_of UNIT SINCE → kinds of denial of UNIT, and of no unit (not attributed)
        $ll denials --no-pager --json=short --since="@$2" 2>/dev/null |
                LLTEST_UNIT=$1 perl -MJSON::PP -e 'my $a = decode_json(join "", <STDIN>);
                        print scalar(grep { !defined $_->{unit} || $_->{unit} eq $ENV{LLTEST_UNIT} } @$a), "\n"'
}

tight_unit() {
        cat > /etc/systemd/system/lltest-tight.service <<'UNIT'
[Service]
Type=oneshot
ExecStart=/usr/bin/cat /etc/debian_version
LandlockReadOnlyPaths=/usr
UNIT
        systemctl daemon-reload
}

case_tight() {
        local t out
        tight_unit
        t=$(date +%s)
        systemctl start lltest-tight.service && { not_ok "the too-tight unit fails" "it started"; return; }
        ok "the too-tight unit fails"
        settle
        local count units commands rights paths i
        # Until the denial is there (30 s at most), however slowly the record travels.
        for i in $(seq 30); do
                out=$($ll denials --no-pager --json=short --since="@$t" lltest-tight.service 2>/tmp/tight.err)
                count=$(perl -MJSON::PP -e 'print scalar(@{decode_json(join "", <STDIN>)})' <<<"$out")
                [[ $count != 0 ]] && break
                settle
        done
        say "# denials: $out"
        units=$(json_field unit <<<"$out")
        commands=$(json_field command <<<"$out")
        rights=$(json_field rights <<<"$out")
        paths=$(json_field path <<<"$out")
        if [[ $count == 1 && $units == lltest-tight.service && $commands == "/usr/bin/cat /etc/debian_version" &&
              $rights == read-file && $paths == /etc/debian_version ]]; then
                ok "denials shows exactly the denial, with its unit and command"
        else
                not_ok "denials shows exactly the denial, with its unit and command" "got: $out" "$(cat /tmp/tight.err)"
        fi
        if [[ ! -s /tmp/tight.err ]]; then
                ok "denials says nothing about visibility when denials are seen"
        else
                not_ok "denials says nothing about visibility when denials are seen" "$(cat /tmp/tight.err)"
        fi
        out=$($ll denials --no-pager lltest-tight 2>&1)
        if grep -q "lltest-tight.service" <<<"$out" && grep -q "read-file" <<<"$out" &&
           grep -q "/etc/debian_version" <<<"$out"; then
                ok "denials' table names unit, right and path"
        else
                not_ok "denials' table names unit, right and path" "$out"
        fi
        out=$($ll security --no-pager lltest-tight.service 2>&1)
        if grep -q "✓.*Denials by the service are logged" <<<"$out"; then
                ok "security: denials are logged and seen"
        else
                not_ok "security: denials are logged and seen" "$(grep -i denial <<<"$out")"
        fi
}

exercise_nginx() {
        curl -sf --max-time 10 http://127.0.0.1/ | grep -q "Welcome to nginx"
}

# SET, GET, then a BGSAVE that must succeed. Success is read from rdb_changes_since_last_save, which a
# successful save brings back to 0, and not from LASTSAVE: redis counts its start as a save, and LASTSAVE
# has a resolution of one second, so a BGSAVE done within the second of the start left it unchanged and
# a working service was judged broken. A failing round says why (the learning loop logs it).
redis_info() { redis-cli INFO persistence 2>&1 | tr -d '\r' | sed -n "s/^$1://p"; }
exercise_redis() {
        local i out
        out=$(redis-cli SET lltest-key lltest-value 2>&1)
        [[ $out == OK ]] || { say "#   SET answered: $out"; return 1; }
        out=$(redis-cli GET lltest-key 2>&1)
        [[ $out == lltest-value ]] || { say "#   GET answered: $out"; return 1; }
        out=$(redis_info rdb_changes_since_last_save)
        [[ $out =~ ^[1-9][0-9]*$ ]] || { say "#   no unsaved change after SET: '$out'"; return 1; }
        out=$(redis-cli BGSAVE 2>&1)
        [[ $out == "Background saving started" ]] || { say "#   BGSAVE answered: $out"; return 1; }
        for i in $(seq 1 60); do
                # A failed save is retried by redis itself: no need to wait for it.
                [[ $(redis_info rdb_last_bgsave_status) == err ]] && { say "#   BGSAVE failed"; return 1; }
                if [[ $(redis_info rdb_bgsave_in_progress) == 0 ]]; then
                        [[ $(redis_info rdb_last_bgsave_status) == ok &&
                           $(redis_info rdb_changes_since_last_save) == 0 ]] && return 0
                fi
                sleep 0.5
        done
        say "#   BGSAVE did not finish in 30 s: $(redis-cli INFO persistence 2>&1 | tr -d '\r' | grep -E '^rdb_' | tr '\n' ' ')"
        return 1
}

# The loop of systemd-landlock(1): from LandlockReadOnlyPaths=/usr and LandlockAllowCommand=yes alone,
# start, work, stop, then suggest --write and daemon-reload, until the service works with no denial.
learn() {
        local svc=$1 exercise=$2 round t worked count
        mkdir -p /etc/systemd/system/$svc.service.d
        printf '[Service]\nLandlockReadOnlyPaths=/usr\nLandlockAllowCommand=yes\n' \
                > /etc/systemd/system/$svc.service.d/landlock-base.conf
        rm -f /etc/systemd/system/$svc.service.d/landlock-suggest.conf
        systemctl daemon-reload
        systemctl stop $svc 2>/dev/null
        for round in $(seq 1 $MAX_ROUNDS); do
                t=$(date +%s)
                sleep 1
                worked=no
                # A failed start of the round before may have used up the start limit (Restart=always).
                systemctl reset-failed $svc 2>/dev/null
                if ! systemctl start $svc 2>/dev/null; then
                        say "#   start failed; the journal's last lines:"
                        journalctl -q -n 5 --no-pager -u $svc | sed 's/^/#     /' >&3
                elif $exercise; then
                        worked=yes
                fi
                systemctl stop $svc 2>/dev/null
                settle
                count=$(denials_of $svc.service "$t")
                say "# $svc round $round: works: $worked, kinds of denial: ${count:-?}"
                $ll denials --no-pager --since="@$t" $svc 2>&1 | sed 's/^/#   /' >&3
                if [[ $worked == yes && $count == 0 ]]; then
                        ok "$svc works with no denial after $round round(s)"
                        say "# $svc: rounds taken: $round"
                        say "# $svc: final policy (the directives of landlock-base.conf and landlock-suggest.conf):"
                        grep -hv '^\(#\|$\|\[\)' /etc/systemd/system/$svc.service.d/landlock-*.conf | sed 's/^/#   /' >&3
                        return 0
                fi
                $ll suggest --write $svc > /dev/null 2>/tmp/suggest.err ||
                        say "# suggest failed: $(cat /tmp/suggest.err)"
                systemctl daemon-reload
        done
        not_ok "$svc works with no denial within $MAX_ROUNDS rounds" \
               "$(sed 's/^/  /' /etc/systemd/system/$svc.service.d/landlock-suggest.conf 2>/dev/null)"
        return 1
}

check_policy_bounds() {
        local svc=$1 f=/etc/systemd/system/$1.service.d/landlock-suggest.conf bad
        # The grants suggest added: never /, /etc or /var as a whole, never a write right beneath /usr.
        bad=$(grep -E '^Landlock[A-Za-z]*Paths=' "$f" 2>/dev/null | perl -ne '
                chomp; my ($v) = /^[^=]+=(.*)$/; $v =~ s/^-//; my ($p, $a) = $v =~ /^(.*?)(?::([^:]*))?$/;
                $a //= "ro";
                print "$_\n" if $p =~ m{^(/|/etc|/var)/?$};
                print "$_\n" if $p =~ m{^/usr(/|$)} && $a =~ /(rw|write|make|remove|truncate|refer)/;')
        if [[ -z $bad ]]; then
                ok "$svc: suggested grants stay off /, /etc, /var as a whole and write nothing beneath /usr"
        else
                not_ok "$svc: suggested grants stay off /, /etc, /var as a whole and write nothing beneath /usr" "$bad"
        fi
}

# The worked example of systemd-landlock(1), run as the man page prints it (the page installed in the image,
# /usr/share/man/man1/systemd-landlock.1): the roff escapes undone, the loop sourced, its $round read after.
man_example() {
        sed -n '/^Learn a policy for nginx/,/^\.EE/p' /usr/share/man/man1/systemd-landlock.1 |
                sed -n '/^\.EX/,/^\.EE/p' | grep -v '^\.E[XE]' |
                sed -e "s/\\\\(aq/'/g" -e 's/\\-/-/g' -e 's/\\e/\\/g'
}

learn_from_man_page() {
        local example t count works=no
        example=$(man_example)
        if [[ -z $example ]]; then
                not_ok "nginx: the man page's learning loop" "no example found in systemd-landlock(1)"
                return 1
        fi
        say "# the loop of systemd-landlock(1):"
        sed 's/^/#   /' <<<"$example" >&3
        rm -f /etc/systemd/system/nginx.service.d/landlock-suggest.conf
        systemctl stop nginx 2>/dev/null
        round=
        source /dev/stdin <<<"$example" > /tmp/example.log 2>&1
        sed 's/^/#   /' /tmp/example.log >&3
        # Judged apart from the loop: the service works, and a whole start-work-stop leaves no denial.
        t=$(date +%s); sleep 1
        systemctl start nginx && exercise_nginx && works=yes
        systemctl stop nginx; settle
        count=$(denials_of nginx.service "$t")
        if [[ $works == yes && $count == 0 && -n $round && $round -le $MAX_ROUNDS ]]; then
                ok "nginx works with no denial after $round round(s) of the man page's loop"
                say "# nginx: rounds taken: $round"
                say "# nginx: final policy (the directives of landlock-base.conf and landlock-suggest.conf):"
                grep -hv '^\(#\|$\|\[\)' /etc/systemd/system/nginx.service.d/landlock-*.conf | sed 's/^/#   /' >&3
                return 0
        fi
        not_ok "nginx works with no denial after the man page's loop" "works: $works, denials: $count, rounds: $round"
        return 1
}

case_loop() {
        learn_from_man_page && check_policy_bounds nginx
        learn redis-server exercise_redis && check_policy_bounds redis-server
}

case_follow() {
        local pid i got=no
        $ll denials --follow --json=short lltest-tight > /tmp/follow.out 2>/tmp/follow.err &
        pid=$!
        # The table first ("[…]" on one line); then each new denial, one object a line.
        for i in $(seq 1 60); do [[ -s /tmp/follow.out ]] && break; sleep 0.5; done
        systemctl start lltest-tight.service
        for i in $(seq 1 60); do
                if tail -n +2 /tmp/follow.out | grep -q '"unit":"lltest-tight.service".*"path":"/etc/debian_version"'; then
                        got=yes
                        break
                fi
                sleep 0.5
        done
        kill "$pid"
        wait "$pid" 2>/dev/null
        if [[ $got == yes ]]; then
                ok "denials --follow prints a new denial as it is logged"
        else
                not_ok "denials --follow prints a new denial as it is logged" "$(cat /tmp/follow.out /tmp/follow.err)"
        fi
}

case_log_no() {
        local out
        cat > /etc/systemd/system/lltest-nolog.service <<'UNIT'
[Service]
Type=oneshot
ExecStart=/usr/bin/cat /etc/debian_version
LandlockReadOnlyPaths=/usr
LandlockLog=no
UNIT
        systemctl daemon-reload
        systemctl start lltest-nolog.service
        out=$($ll denials --no-pager lltest-nolog 2>&1)
        if grep -q "lltest-nolog.service sets LandlockLog=no" <<<"$out"; then
                ok "denials says a unit with LandlockLog=no logs nothing"
        else
                not_ok "denials says a unit with LandlockLog=no logs nothing" "$out"
        fi
        out=$($ll security --no-pager lltest-nolog.service 2>&1)
        if grep -q "✗.*Denials are not logged to the audit log (LandlockLog=no)" <<<"$out"; then
                ok "security: the logging row names LandlockLog=no"
        else
                not_ok "security: the logging row names LandlockLog=no" "$(grep -i denial <<<"$out")"
        fi
}

# ---- every shipped profile in normal operation: enabled as an administrator does, no denial at all ----

job_nginx() { curl -sf --max-time 10 http://127.0.0.1/ | grep -q "Welcome to nginx"; }
job_redis() { [[ $(redis-cli SET lltest value 2>&1) == OK && $(redis-cli GET lltest 2>&1) == value ]]; }
job_postgresql() { [[ $(runuser -u postgres -- psql -X -Atc 'SELECT 40 + 2' 2>&1) == 42 ]]; }
job_memcached() {
        local rc
        exec 4<>/dev/tcp/127.0.0.1/11211 || return 1
        printf 'set lltest 0 0 5\r\nvalue\r\nget lltest\r\nquit\r\n' >&4
        timeout 5 cat <&4 | grep -q '^VALUE lltest 0 5'
        rc=$?
        exec 4<&-
        return $rc
}
job_unbound() { [[ $(dig +short +tries=1 +time=2 @127.0.0.1 ok.lltest A 2>&1) == 192.0.2.1 ]]; }
job_chrony() { chronyc -n tracking | grep -q '^Reference ID' && chronyc -n sources > /dev/null; }

# Services that are "started" before they answer: wait for the job, bounded; the result is the job's.
eventually() {
        local i
        for i in $(seq 1 50); do "$@" 2>/dev/null && return 0; sleep 0.2; done
        "$@"
}

setup_profiled() {
        # unbound: the root's trust anchor (the root KSK's DS record, public) that the dns-root-data package
        # (not in the root) would provide, and a local answer, so that dig needs no network.
        if [[ ! -s /var/lib/unbound/root.key ]]; then
                echo ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D" > /var/lib/unbound/root.key
                chown unbound:unbound /var/lib/unbound/root.key
        fi
        printf 'server:\n    interface: 127.0.0.1\n    local-zone: "lltest." static\n    local-data: "ok.lltest. A 192.0.2.1"\n' \
                > /etc/unbound/unbound.conf.d/lltest.conf
        # The learning loop's drop-ins (case_loop) go: the profile alone confines nginx and redis-server.
        rm -f /etc/systemd/system/{nginx,redis-server}.service.d/landlock-{base,suggest}.conf
        systemctl daemon-reload
}

# profile_case NAME UNIT PROFILE: the profile enabled, then start, job, reload (where the unit can),
# job, restart, job, stop; then not one denial since the enabling, of the unit or of no unit.
profile_case() {
        local s=$1 unit=$2 profile=$3 t steps=() out err count
        systemctl stop "$unit" 2>/dev/null
        systemctl reset-failed "$unit" 2>/dev/null
        # (A denial of the unit before, in the same second, would count: none are, the cases before stop
        # every unit they start and wait a second.)
        t=$(date +%s)
        step() { local what=$1; shift; "$@" > /tmp/step.out 2>&1 || steps+=("$what failed: $(tail -n 3 /tmp/step.out)"); }
        step "profile enable $profile" $ll profile enable "$profile"
        step "start" systemctl start "$unit"
        step "ExecStart= through the enforcer" bash -c "systemctl show -p ExecStart '$unit' | grep -q landlock-exec"
        step "job after start" eventually job_"$s"
        if [[ $(systemctl show -P CanReload "$unit") == yes ]]; then
                step "reload" systemctl reload "$unit"
                step "job after reload" eventually job_"$s"
        fi
        step "restart" systemctl restart "$unit"
        step "job after restart" eventually job_"$s"
        step "stop" systemctl stop "$unit"
        settle
        if [[ ${#steps[@]} == 0 ]]; then
                ok "$s: profile $profile enabled, start, job, reload, restart, job, stop"
        else
                not_ok "$s: profile $profile enabled, start, job, reload, restart, job, stop" "${steps[@]}" \
                       "$(journalctl -q -n 15 --no-pager -u "$unit")"
        fi
        # Without the visibility check an empty answer would prove nothing: it must say denials are seen.
        out=$($ll denials --no-pager --json=short --since="@$t" "$unit" 2>/tmp/profile.err)
        err=$(cat /tmp/profile.err)
        count=$(denials_of "$unit" "$t")
        if [[ -z $err && $count == 0 && $out == "[]" ]] &&
           $ll security --no-pager "$unit" 2>&1 | grep -q "✓.*Denials by the service are logged"; then
                ok "$s: no denial in normal operation, and denials can be seen"
        else
                not_ok "$s: no denial in normal operation, and denials can be seen" \
                       "visibility: ${err:-denials can be seen}" "denials of the unit or of no unit: ${count:-?}" \
                       "$($ll denials --no-pager --since="@$t" "$unit" 2>&1)"
        fi
        say "# $s: $((SECONDS - profile_t0)) s into the profile cases"
}

case_profiles() {
        local pg
        profile_t0=$SECONDS
        setup_profiled
        pg=$(ls /etc/postgresql | sort -n | tail -n 1)
        profile_case nginx nginx.service nginx
        profile_case redis redis-server.service redis-server
        profile_case postgresql "postgresql@$pg-main.service" postgresql@
        profile_case memcached memcached.service memcached
        profile_case unbound unbound.service unbound
        profile_case chrony chrony.service chrony
}

# Last: without journald's audit socket the records reach only the kernel log.
case_no_socket() {
        local out
        systemctl stop systemd-journald-audit.socket
        out=$($ll denials --no-pager lltest-tight 2>&1)
        if grep -q "systemctl enable --now systemd-journald-audit.socket" <<<"$out"; then
                ok "denials says how to let the journal receive audit records"
        else
                not_ok "denials says how to let the journal receive audit records" "$out"
        fi
}

# Last: audit switched off at run time, as "auditctl -e 0" does.
case_audit_disabled() {
        local out
        if ! /usr/lib/lltest/audit-enable 0; then
                not_ok "audit switched off" "audit-enable 0 failed"
                return
        fi
        systemctl start lltest-tight.service
        out=$($ll denials --no-pager lltest-tight 2>&1)
        if grep -q "the kernel's audit is disabled: turn it on with \"auditctl -e 1\"" <<<"$out"; then
                ok "denials says audit is off, and how to turn it on"
        else
                not_ok "denials says audit is off, and how to turn it on" "$out"
        fi
        out=$($ll security --no-pager lltest-tight.service 2>&1)
        if grep -q "✗.*cannot be seen here: .*auditctl -e 1" <<<"$out"; then
                ok "security: the logging row says denials cannot be seen"
        else
                not_ok "security: the logging row says denials cannot be seen" "$(grep -i denial <<<"$out")"
        fi
        # The denials from before audit went off are still there to suggest from: with a warning.
        out=$($ll suggest lltest-tight 2>&1 >/dev/null)
        if grep -q "the kernel's audit is disabled" <<<"$out"; then
                ok "suggest warns that new denials cannot be seen"
        else
                not_ok "suggest warns that new denials cannot be seen" "$out"
        fi
        out=$($ll suggest lltest-unseen 2>&1)
        if grep -q "Cannot suggest anything for lltest-unseen.service" <<<"$out"; then
                ok "suggest refuses a unit whose denials cannot be seen"
        else
                not_ok "suggest refuses a unit whose denials cannot be seen" "$out"
        fi
}

PLAN=29
case_tight
case_follow
case_log_no
case_loop
case_profiles
case_no_socket
case_audit_disabled
# A case that did not run (a function gone missing) must not go unnoticed.
[[ $n == "$PLAN" ]] || not_ok "every planned case ran" "ran $n of $PLAN"

say "1..$n"
say "# lltest-done"
sync
systemctl poweroff --no-block
