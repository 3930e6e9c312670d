#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the container as differential-runner.service, after a boot whose generators saw the
# corpus trees. It judges nothing: for every unit of the manifest it records what PID 1 says it will run
# and what happened when the unit ran, into the results directory the host bound in; the host's
# judge.py compares. Phases:
#   boot    the generator's output from boot: view, start [reload] stop (starts=N times)
#   reload  the same after "systemctl daemon-reload" (the generator runs again)
#   raw     view only, after a daemon-reload with the generator masked: what PID 1 runs without us
#   edit    trees with an after-boot/ directory, laid over / after the last daemon-reload (no reload
#           after it); their units were not loaded before, so PID 1 loads the edited files on demand
set -u

D=/usr/lib/systemd-landlock-tests/differential
R=/mnt/lltest-results
OUT=/run/differential
CANARY_DIR=/etc/differential-canary

log() {
        echo "differential: $*"
}

# The D-Bus object path of a unit (systemd's bus_label_escape()).
unit_object_path() {
        local s=$1 out= c i h
        local LC_ALL=C
        for ((i = 0; i < ${#s}; i++)); do
                c=${s:i:1}
                if [[ $c == [A-Za-z0-9] ]]; then
                        out+=$c
                else
                        printf -v h '_%02x' "'$c"
                        out+=$h
                fi
        done
        echo "/org/freedesktop/systemd1/unit/$out"
}

# Every property of INTERFACE whose type is a list of commands, as PID 1 exports them: the *Ex form
# (with flags) where there is one, else the plain form. Written to $R/props-TYPE, one name a line.
discover_exec_properties() {
        local type=$1 unit=$2 name sig
        local -A sigs=()
        # (No awk: in the host's tree it is an alternatives symlink into the container's empty /etc.)
        busctl introspect org.freedesktop.systemd1 "$(unit_object_path "$unit")" "org.freedesktop.systemd1.$type" \
                2>"$R/props-$type.err" > "$R/props-$type.all"
        while read -r name _ sig _; do
                [[ $sig == "a(sasasttttuii)" || $sig == "a(sasbttttuii)" ]] && sigs[${name#.}]=$sig
        done < <(grep ' property ' "$R/props-$type.all")
        for name in "${!sigs[@]}"; do
                [[ ${sigs[$name]} == "a(sasasttttuii)" || -z ${sigs[${name}Ex]:-} ]] && echo "$name"
        done | sort > "$R/props-$type"
}

setup() {
        mkdir -p "$OUT" "$CANARY_DIR"
        chmod 1777 "$OUT"
        echo "the canary: no corpus unit may read this" > "$CANARY_DIR/canary"
        chmod 0755 "$CANARY_DIR"
        chmod 0644 "$CANARY_DIR/canary"
        {
                echo "systemd $(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')"
                echo "version $(systemctl --version | head -n 1)"
                echo "kernel $(uname -r)"
                echo "enforcer $(ls /usr/libexec/systemd-landlock-exec 2>&1)"
        } > "$R/info"
        discover_exec_properties Service differential-runner.service
        discover_exec_properties Socket systemd-journald.socket
        SERVICE_PROPS=$(paste -sd' ' "$R/props-Service")
        SOCKET_PROPS=$(paste -sd' ' "$R/props-Socket")
        SHOW_PROPS="Id,Names,LoadState,LoadError,ActiveState,SubState,Result,NeedDaemonReload,FragmentPath,SourcePath,DropInPaths,CanReload"
        SHOW_PROPS+=,$(sort -u "$R/props-Service" "$R/props-Socket" | sed 's/Ex$//' | sort -u | paste -sd,)
        SHOW_PROPS+=,$(sort -u "$R/props-Service" "$R/props-Socket" | grep 'Ex$' | paste -sd,)
}

copy_generator_output() {
        rm -rf "$R/gen-$1"
        cp -a /run/systemd/generator "$R/gen-$1" 2>/dev/null || mkdir -p "$R/gen-$1"
}

# Lays every tree's fixtures/ over / (removing what the previous phase left at those places first).
lay_fixtures() {
        local t e
        for t in "$D"/trees/*/fixtures; do
                [[ -d $t ]] || continue
                while read -r e; do
                        rm -rf "/${e#"$t"/}"
                done < <(find "$t" -mindepth 2 -maxdepth 2)
                cp -a "$t"/. /
        done
}

# What PID 1 says about unit $2 (manifest index $1) now.
view_unit() {
        local f=$1 u=$2
        systemctl show -p "$SHOW_PROPS" -- "$u" > "$f.show" 2>&1
}

# The command lists with their flags and exec statuses, exactly (JSON, one property a line).
exec_lists() {
        local f=$1 u=$2 id props iface
        id=$(systemctl show -P Id -- "$u" 2>/dev/null)
        [[ -n $id ]] || id=$u
        case $id in
        *.socket) iface=org.freedesktop.systemd1.Socket props=$SOCKET_PROPS ;;
        *) iface=org.freedesktop.systemd1.Service props=$SERVICE_PROPS ;;
        esac
        echo "$props" > "$f.props"
        # shellcheck disable=SC2086
        busctl --json=short get-property org.freedesktop.systemd1 "$(unit_object_path "$id")" "$iface" $props \
                > "$f.json" 2> "$f.json.err"
}

state_line() {
        systemctl show -p ActiveState,SubState,Result,ExecMainCode,ExecMainStatus -- "$1" 2>&1 | paste -sd' '
}

run_unit() {
        local f=$1 u=$2 starts=$3 i rc
        : > "$f.run"
        for ((i = 1; i <= starts; i++)); do
                timeout 60 systemctl start -- "$u" > "$f.start.$i" 2>&1
                rc=$?
                echo "start $i rc=$rc $(state_line "$u")" >> "$f.run"
                # After the start: a failed unit stays loaded with the statuses of what ran.
                exec_lists "$f" "$u"
                if [[ $(systemctl show -P CanReload -- "$u" 2>/dev/null) == yes ]] &&
                   [[ $(systemctl show -P ActiveState -- "$u" 2>/dev/null) == @(active|activating|reloading) ]]; then
                        timeout 60 systemctl reload -- "$u" >> "$f.start.$i" 2>&1
                        echo "reload $i rc=$? $(state_line "$u")" >> "$f.run"
                fi
                timeout 60 systemctl stop -- "$u" >> "$f.start.$i" 2>&1
                echo "stop $i rc=$? $(state_line "$u")" >> "$f.run"
                systemctl reset-failed -- "$u" 2>/dev/null
        done
}

# Manifest lines: INDEX TREE UNIT PHASESET STARTS (PHASESET: "main" or "edit").
run_phase() {
        local phase=$1 idx tree unit set starts
        mkdir -p "$R/$phase"
        : > "$OUT/records"
        chmod 0666 "$OUT/records"
        lay_fixtures
        while read -r idx tree unit set starts; do
                if [[ $phase == edit ]]; then
                        [[ $set == edit ]] || continue
                else
                        [[ $set == main ]] || continue
                fi
                # Confined probes cannot read /proc/self/cgroup: their records belong to the unit whose
                # marker precedes them (units run one after the other).
                printf '{"marker":"%s"}\n' "$idx" >> "$OUT/records"
                view_unit "$R/$phase/$idx" "$unit"
                if [[ $phase == raw ]]; then
                        exec_lists "$R/$phase/$idx" "$unit"
                else
                        run_unit "$R/$phase/$idx" "$unit" "$starts"
                fi
        done < "$D/manifest"
        cp "$OUT/records" "$R/records-$phase"
}

main() {
        local t
        setup
        log "systemd $(sed -n 's/^systemd //p' "$R/info"): $(wc -l < "$D/manifest") units"
        copy_generator_output boot
        run_phase boot
        log "phase boot done"

        systemctl daemon-reload
        copy_generator_output reload
        run_phase reload
        log "phase reload done"

        mkdir -p /etc/systemd/system-generators
        ln -sf /dev/null /etc/systemd/system-generators/systemd-landlock-generator
        systemctl daemon-reload
        run_phase raw
        rm -f /etc/systemd/system-generators/systemd-landlock-generator
        systemctl daemon-reload
        log "phase raw done"

        if grep -q ' edit ' "$D/manifest"; then
                copy_generator_output edit
                for t in "$D"/trees/*/after-boot; do
                        [[ -d $t ]] && cp -a "$t"/. /
                done
                run_phase edit
                log "phase edit done"
        fi

        journalctl -b --no-pager -o short-monotonic > "$R/journal.txt" 2>&1
        echo done > "$R/done"
}

exec 2> "$R/inside.log"
main
exit 0
