#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the container as lltest-services.service (see run.sh): for each profiled service, its real
# job and a probe that reaches outside the profile through the service itself, first unconfined (the
# probe must succeed, so that it can fail), then with the profile enabled through every lifecycle step.
# TAP lines go to the console and to the results directory; "# measure" lines carry the scores and start
# times the lead quotes.

RESULTS=/mnt/lltest-results
LOG=/run/lltest-services
n=0

emit() {
        echo "$*"
        echo "$*" >> "$RESULTS/tap"
}

# check DESCRIPTION COMMAND…: one TAP line; on failure the command's output and the unit's journal tail.
check() {
        local what=$1; shift
        n=$((n + 1))
        if "$@" > "$LOG/out" 2>&1; then
                emit "ok $n - $what"
                return 0
        fi
        emit "not ok $n - $what"
        { cat "$LOG/out"; [[ -n ${UNIT:-} ]] && journalctl -q -n 25 --no-pager -u "$UNIT"; } |
                sed 's/^/#   /' | while IFS= read -r l; do emit "$l"; done
        return 1
}

# Services that are "started" before they listen (Type=simple, or a forking parent that returns early):
# wait for the job itself, bounded; the assertion is the job's result, not a time.
eventually() {
        local i
        for i in $(seq 1 50); do
                "$@" && return 0
                sleep 0.2
        done
        "$@"
}

not() { ! "$@"; }

# The tests start a unit more often than systemd's default start rate limit (5 in 10 s) allows, which
# faster systemd versions reach: every start begins with a clean counter.
sctl() {
        local verb=$1 unit=$2
        systemctl reset-failed "$unit" 2> /dev/null
        systemctl "$verb" "$unit"
}

# ---- the services: fixture, job, probe (succeeds when the access outside the profile works) ----

setup_nginx() {
        mkdir -p /srv/lltest-secret
        echo "secret page" > /srv/lltest-secret/secret.html
        ln -sfn /srv/lltest-secret/secret.html /var/www/html/secret.html
}
job_nginx() { curl -sf http://127.0.0.1/ | grep -q "Welcome to nginx"; }
probe_nginx() { curl -sf http://127.0.0.1/secret.html | grep -q "secret page"; }

setup_redis() {
        # dir is a protected setting: allow CONFIG SET of it from localhost, for the probe.
        echo "enable-protected-configs local" >> /etc/redis/redis.conf
}
job_redis() { [[ $(redis-cli SET lltest value) == OK && $(redis-cli GET lltest) == value ]]; }
probe_redis() {
        local out
        redis-cli CONFIG SET dir /tmp > /dev/null || return 2
        out=$(redis-cli SAVE)
        redis-cli CONFIG SET dir /var/lib/redis > /dev/null
        echo "SAVE into /tmp: $out"
        [[ $out == OK ]]
}

setup_postgresql() {
        # Debian's unit waits forever for a start (TimeoutStartSec=0); a failing one must fail the check.
        mkdir -p /run/systemd/system/postgresql@.service.d
        printf '[Service]\nTimeoutStartSec=90\nRestart=no\n' > /run/systemd/system/postgresql@.service.d/lltest.conf
        systemctl daemon-reload
}
psql_as_postgres() { runuser -u postgres -- psql -X -Atc "$1"; }
job_postgresql() { [[ $(psql_as_postgres 'SELECT 40 + 2') == 42 ]]; }
probe_postgresql() { psql_as_postgres "SELECT pg_read_file('/etc/debian_version')" | grep -q .; }

setup_memcached() { :; }
job_memcached() {
        exec 3<>/dev/tcp/127.0.0.1/11211 || return 1
        printf 'set lltest 0 0 5\r\nvalue\r\nget lltest\r\nquit\r\n' >&3
        timeout 5 cat <&3 | grep -q '^VALUE lltest 0 5'
        local rc=$?
        exec 3<&-
        return $rc
}
# Not a denial: the wrapper must have read its configuration (else it starts memcached as root on every
# interface); memcached has no request that opens a file, so its confinement is checked by the enforcer
# being its ExecStart= and by the generic checks only.
probe_memcached() { return 1; }
memcached_user_from_config() { [[ $(ps -o user= -p "$(systemctl show -P MainPID memcached.service)") == memcache ]]; }

setup_unbound() {
        # The root's trust anchor (the root KSK's DS record, public), which the dns-root-data package (a
        # recommendation the root is built without) would provide.
        if [[ ! -s /var/lib/unbound/root.key ]]; then
                echo ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D" > /var/lib/unbound/root.key
                chown unbound:unbound /var/lib/unbound/root.key
        fi
        # An authoritative zone whose file lives where unbound may read it; the probe points that file at
        # one outside the profile and asks unbound to reload the zone, at run time.
        mkdir -p /srv/lltest-unbound
        unbound_zone 1 192.0.2.2 > /var/lib/unbound/lltest.zone
        unbound_zone 2 192.0.2.3 > /srv/lltest-unbound/lltest.zone
        chmod 0644 /var/lib/unbound/lltest.zone /srv/lltest-unbound/lltest.zone
        cat > /etc/unbound/unbound.conf.d/lltest.conf <<'CONF'
server:
    interface: 127.0.0.1
    local-zone: "lltest." static
    local-data: "ok.lltest. A 192.0.2.1"
auth-zone:
    name: "lltest-auth."
    zonefile: "/var/lib/unbound/lltest.zone"
    for-downstream: yes
    for-upstream: yes
    fallback-enabled: no
CONF
}
unbound_zone() {
        printf '%s\n' '$ORIGIN lltest-auth.' '$TTL 60' \
                "@ IN SOA ns.lltest-auth. host.lltest-auth. $1 3600 600 86400 60" \
                '@ IN NS ns.lltest-auth.' 'ns IN A 192.0.2.53' "www IN A $2"
}
job_unbound() { [[ $(dig +short +tries=1 +time=2 @127.0.0.1 ok.lltest A) == 192.0.2.1 ]]; }
probe_unbound() {
        local answer
        ln -sfn /srv/lltest-unbound/lltest.zone /var/lib/unbound/lltest.zone
        unbound-control auth_zone_reload lltest-auth
        answer=$(dig +short +tries=1 +time=2 @127.0.0.1 www.lltest-auth A)
        # Back to the zone file in place, so that the next start reads it.
        unbound_zone 1 192.0.2.2 > /var/lib/unbound/lltest.zone.new
        mv -f /var/lib/unbound/lltest.zone.new /var/lib/unbound/lltest.zone
        unbound-control auth_zone_reload lltest-auth > /dev/null
        echo "www.lltest-auth after the reload through the link: $answer"
        [[ $answer == 192.0.2.3 ]]
}

setup_chrony() {
        # No clock control (-x), and no CAP_SYS_TIME needed: the container must not set the host's clock.
        echo 'DAEMON_OPTS="-F 1 -x"' > /etc/default/chrony
        mkdir -p /run/systemd/system/chrony.service.d /srv/lltest-chrony
        printf '[Unit]\nConditionCapability=\n' > /run/systemd/system/chrony.service.d/lltest.conf
        echo "server 192.0.2.123 iburst" > /srv/lltest-chrony/lltest.sources
        echo "sourcedir /srv/lltest-chrony" > /etc/chrony/conf.d/lltest.conf
        systemctl daemon-reload
}
job_chrony() { chronyc -n tracking | grep -q '^Reference ID' && chronyc -n sources > /dev/null; }
probe_chrony() { chronyc -n sources | grep -q 192.0.2.123; }

# ---- measurements ----

# Median of three restarts, in milliseconds (a restart is a stop plus a start; the stop is the same
# either way).
start_ms() {
        local unit=$1 i t0 t1 times=()
        for i in 1 2 3; do
                t0=$(date +%s%N)
                sctl restart "$unit" || return 1
                t1=$(date +%s%N)
                times+=($(((t1 - t0) / 1000000)))
        done
        printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

scores() {
        local unit=$1 sa ll
        sa=$(systemd-analyze security --no-pager "$unit" 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
        ll=$(SYSTEMD_COLORS=0 systemd-landlock security --no-pager "$unit" 2>/dev/null |
                sed -n 's/.*Overall Landlock exposure level for [^:]*: \([0-9.]*\).*/\1/p')
        echo "${sa:-?} ${ll:-?}"
}

# ---- one service through its life ----

# test_service NAME UNIT PROFILE RELOAD(yes/no)
test_service() {
        local s=$1 profile=$3 reload=$4 before after u c since
        UNIT=$2

        setup_"$s"
        check "$s: starts unconfined" sctl restart "$UNIT"
        check "$s: does its job unconfined" eventually job_"$s"
        if [[ $s != memcached ]]; then
                check "$s: the probe outside the profile succeeds unconfined" eventually probe_"$s"
        fi
        u=$(start_ms "$UNIT")
        before=$(scores "$UNIT")

        since=$(date +%s)
        check "$s: systemd-landlock profile enable $profile" systemd-landlock profile enable "$profile"
        check "$s: starts confined" sctl restart "$UNIT"
        check "$s: its ExecStart= goes through the enforcer" \
                bash -c "systemctl show -p ExecStart '$UNIT' | grep -q landlock-exec"
        check "$s: does its job confined" eventually job_"$s"
        if [[ $s == memcached ]]; then
                check "$s: the wrapper read its configuration (memcached runs as memcache)" eventually memcached_user_from_config
        else
                check "$s: the probe outside the profile is denied" not probe_"$s"
        fi
        if [[ $reload == yes ]]; then
                check "$s: reload" systemctl reload "$UNIT"
                check "$s: does its job after reload" eventually job_"$s"
        fi
        check "$s: restart" sctl restart "$UNIT"
        check "$s: does its job after restart" eventually job_"$s"
        check "$s: stop" bash -c "systemctl stop '$UNIT' && ! systemctl -q is-active '$UNIT'"
        check "$s: start" sctl start "$UNIT"
        check "$s: does its job after stop and start" eventually job_"$s"
        check "$s: daemon-reload keeps it running" bash -c "systemctl daemon-reload && systemctl -q is-active '$UNIT'"
        check "$s: does its job after daemon-reload" eventually job_"$s"
        if [[ $s != memcached ]]; then
                check "$s: still denied after daemon-reload" not probe_"$s"
        fi
        # (The probes' own denials name "lltest" paths.)
        check "$s: no failed start, denial or write to a closed file in the journal since the profile" \
                bash -c "! journalctl -q --no-pager --since=@$since -u '$UNIT' | grep -v lltest | grep -E 'status=(203|24[678])|Failed with result|on closed filehandle|Permission denied'"

        c=$(start_ms "$UNIT")
        after=$(scores "$UNIT")
        emit "# measure $UNIT: systemd-analyze security ${before% *} -> ${after% *}; systemd-landlock security ${before#* } -> ${after#* }; start ${u:-?} ms unconfined, ${c:-?} ms confined, ratio $(awk -v u="${u:-0}" -v c="${c:-0}" 'BEGIN { if (u > 0) printf "%.2f", c / u; else print "?" }')"
        systemctl stop "$UNIT"
        UNIT=
}

# ---- the examples of systemd.landlock(5), as written there ----

MAN=/usr/lib/systemd-landlock-tests/services/systemd.landlock.5.in

# The text of the example under ".SS TITLE", roff escapes undone.
man_example() {
        awk -v t="$1" '$0 == ".SS " t { f = 1; next } f && /^\.nf/ { p = 1; next } p && /^\.fi/ { exit } p' "$MAN" |
                sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\e/\\/g'
}

install_example() {
        local title=$1 path=$2
        mkdir -p "$(dirname "$path")"
        man_example "$title" > "$path"
        [[ -s $path ]] || { echo "no example \"$title\" in $MAN"; return 1; }
        sed 's/^/    /' "$path"
}

test_examples() {
        UNIT=lltest-example-web.service
        systemctl stop nginx.service
        check "example \"A web server\": installed as written" install_example "A web server" /etc/systemd/system/$UNIT
        systemctl daemon-reload
        check "example \"A web server\": starts" systemctl start $UNIT
        check "example \"A web server\": its ExecStart= goes through the enforcer" \
                bash -c "systemctl show -p ExecStart $UNIT | grep -q landlock-exec"
        check "example \"A web server\": serves a page" eventually job_nginx
        check "example \"A web server\": a file outside its paths is denied" not probe_nginx
        check "example \"A web server\": reload" systemctl reload $UNIT
        check "example \"A web server\": serves a page after reload" eventually job_nginx

        UNIT=lltest-fetch@index.nginx-debian.html.service
        check "example \"A web client, as a template\": installed as written" \
                install_example "A web client, as a template" /etc/systemd/system/lltest-fetch@.service
        systemctl daemon-reload
        check "example \"A web client, as a template\": an instance fetches its page into its state directory" \
                bash -c "systemctl start $UNIT && grep -q 'Welcome to nginx' /var/lib/fetch/index.nginx-debian.html/page"
        systemctl stop lltest-example-web.service

        UNIT=lltest-example-cleanup.service
        mkdir -p /var/tmp/myapp
        touch -d '10 days ago' /var/tmp/myapp/old
        touch /var/tmp/myapp/new
        check "example \"A oneshot cleanup job\": installed as written" \
                install_example "A oneshot cleanup job" /etc/systemd/system/$UNIT
        systemctl daemon-reload
        check "example \"A oneshot cleanup job\": removes what is older than 7 days, keeps the rest" \
                bash -c "systemctl start $UNIT && ! test -e /var/tmp/myapp/old && test -e /var/tmp/myapp/new"

        # foo.service reads /etc/foo and writes /var/lib/foo with shell built-ins only (the commands a shell
        # would exec are not granted), and must not read beyond.
        UNIT=foo.service
        mkdir -p /etc/foo /var/lib/foo
        echo "conf of foo" > /etc/foo/conf
        printf '[Service]\nType=oneshot\nExecStart=/bin/sh -c %s\n' \
                "'read l < /etc/foo/conf && echo \"\$l\" > /var/lib/foo/copy && ! read l < /srv/lltest-secret/secret.html'" \
                > /etc/systemd/system/foo.service
        check "example \"Adding a restriction with a drop-in\": installed as written" \
                install_example "Adding a restriction with a drop-in" /etc/systemd/system/foo.service.d/override.conf
        systemctl daemon-reload
        check "example \"Adding a restriction with a drop-in\": foo reads /etc/foo, writes /var/lib/foo, is denied the rest" \
                bash -c "systemctl start foo.service && grep -q 'conf of foo' /var/lib/foo/copy && systemctl show -p ExecStart foo.service | grep -q landlock-exec"
        UNIT=
}

# ---- README.md's profile commands, as written there ----

DOCS=/usr/lib/systemd-landlock-tests/docs
PROFILE_LINK=/etc/systemd/system/nginx.service.d/50-landlock-profile.conf

run_readme_profile_commands() {
        local ex
        . $DOCS/extract.sh
        ex=$(markdown_example $DOCS/README.md "shipped in") || return 1
        sed 's/^/    /' <<< "$ex"
        bash -ec "$ex"
}

test_readme_profile() {
        UNIT=nginx.service
        systemctl stop lltest-example-web.service nginx.service
        check "README's profile commands: nginx's profile disabled before" \
                bash -c "systemd-landlock profile disable nginx >/dev/null 2>&1; ! test -e $PROFILE_LINK"
        check "README's profile commands: run as written" run_readme_profile_commands
        check "README's profile commands: the profile is linked and nginx runs through the enforcer" \
                bash -c "test -e $PROFILE_LINK && systemctl -q is-active nginx.service && systemctl show -p ExecStart nginx.service | grep -q landlock-exec"
        check "README's profile commands: nginx serves a page" eventually job_nginx
        check "README's profile commands: a file outside the profile is denied" not probe_nginx
        systemctl stop nginx.service
        UNIT=
}

main() {
        local pg
        mkdir -p "$LOG"
        emit "# systemd $(systemctl --version | head -n 1 | cut -d' ' -f2-3), kernel $(uname -r)"
        pg=$(ls /etc/postgresql | sort -n | tail -n 1)

        while read -r name unit profile reload; do
                [[ -n ${LLTEST_ONLY:-} && $name != *$LLTEST_ONLY* ]] && continue
                test_service "$name" "$unit" "$profile" "$reload"
        done <<LIST
nginx nginx.service nginx yes
redis redis-server.service redis-server no
postgresql postgresql@$pg-main.service postgresql@ yes
memcached memcached.service memcached no
unbound unbound.service unbound yes
chrony chrony.service chrony no
LIST
        if [[ -z ${LLTEST_ONLY:-} || examples == *$LLTEST_ONLY* ]]; then
                setup_nginx
                test_examples
                test_readme_profile
        fi
        emit "1..$n"
        emit "# lltest-done"
}

main
exit 0
