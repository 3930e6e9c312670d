#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the container as differential-runner.service, after a boot whose generators saw the
# corpus trees. It judges nothing: for every unit of the manifest it records what PID 1 says it will run
# and what happened when the unit ran, into the results directory the host bound in; the host's
# judge.py compares. Phases:
#   boot    the generator's output from boot: view, start [reload] stop (starts=N times)
#   reload  the same after "systemctl daemon-reload" (the generator runs again); a unit for which
#           the generator wrote the same as at boot is only viewed, not run again
#   raw     view only, after a daemon-reload with the generator masked: what PID 1 runs without us
#   edit    trees with an after-boot/ directory, laid over / after the last daemon-reload (no reload
#           after it); their units were not loaded before, so PID 1 loads the edited files on demand
set -u

D=/usr/lib/systemd-landlock-tests/differential
R=/mnt/lltest-results
OUT=/run/differential
CANARY_DIR=/etc/differential-canary
WORKERS=$(sed -n 's/^workers //p' "$D/settings" 2>/dev/null)
WORKERS=${WORKERS:-3}

log() {
        echo "differential: $*"
}

# The D-Bus object path of a unit (systemd's bus_label_escape()).
unit_object_path() {
        local s=$1 out='' c i h
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
        rm -rf "$R/gen-$1" "$R/gen-$1-user"
        cp -a /run/systemd/generator "$R/gen-$1" 2>/dev/null || mkdir -p "$R/gen-$1"
        if [[ -n ${USER_UID:-} ]]; then
                cp -a "/run/user/$USER_UID/systemd/generator" "$R/gen-$1-user" 2>/dev/null || mkdir -p "$R/gen-$1-user"
        fi
}

# Lays every tree's fixtures/ over / (removing what the previous phase left at those places first).
lay_fixtures() {
        local t e rel
        for t in "$D"/trees/*/fixtures; do
                [[ -d $t ]] || continue
                while read -r e; do
                        rel=${e#"$t"/}
                        [[ -n $rel && $rel != etc/systemd* ]] && rm -rf "/${rel:?}"
                done < <(find "$t" -mindepth 2 -maxdepth 2)
                cp -a "$t"/. /
        done
}

# The test user's manager, for units written "user:NAME" in the manifest.
USER_NAME=lltest
as_user() {
        runuser -u "$USER_NAME" -- env XDG_RUNTIME_DIR="/run/user/$USER_UID" "$@"
}

# SCTL: systemctl for the manager of the unit being handled (a command, not a function: timeout runs it).
SCTL=(systemctl)
USER_MODE=
select_manager() {
        if [[ $1 == user:* ]]; then
                SCTL=(runuser -u "$USER_NAME" -- env XDG_RUNTIME_DIR="/run/user/$USER_UID" systemctl --user)
                USER_MODE=1
        else
                SCTL=(systemctl)
                USER_MODE=
        fi
}

start_user_manager() {
        grep -q ' user:' "$D/manifest" || return 0
        USER_UID=$(id -u "$USER_NAME") || { log "no user $USER_NAME"; return 1; }
        # A minimal PAM stack for user@.service where the booted tree has no /etc/pam.d (volatile=yes).
        if [[ ! -e /etc/pam.d/common-account ]]; then
                mkdir -p /etc/pam.d
                for f in systemd-user other; do
                        printf '%s required pam_permit.so\n' auth account password session > /etc/pam.d/$f
                done
        fi
        systemctl start "user@$USER_UID.service" || log "cannot start user@$USER_UID.service"
}

user_daemon_reload() {
        [[ -n ${USER_UID:-} ]] && as_user systemctl --user daemon-reload
}

# What PID 1 (or the user's manager) says about unit $2 now (also its Id and CanReload).
view_unit() {
        local f=$1 u=$2
        "${SCTL[@]}" show -p "$SHOW_PROPS" -- "$u" > "$f.show" 2>&1
        UNIT_ID=$(sed -n 's/^Id=//p' "$f.show")
        UNIT_CAN_RELOAD=$(sed -n 's/^CanReload=//p' "$f.show")
        [[ -n $UNIT_ID ]] || UNIT_ID=$u
}

# The command lists with their flags and exec statuses, exactly (JSON, one property a line). The user
# manager has no bus here (no session bus in these roots, and busctl cannot talk to a manager's
# private socket): for its units the judge reads systemctl's text in .show instead.
exec_lists() {
        local f=$1 props iface
        if [[ -n $USER_MODE ]]; then
                "${SCTL[@]}" show -p "$SHOW_PROPS" -- "$UNIT_ID" > "$f.show" 2>&1
                echo text > "$f.props"
                return
        fi
        case $UNIT_ID in
        *.socket) iface=org.freedesktop.systemd1.Socket props=$SOCKET_PROPS ;;
        *) iface=org.freedesktop.systemd1.Service props=$SERVICE_PROPS ;;
        esac
        echo "$props" > "$f.props"
        # shellcheck disable=SC2086
        busctl --json=short get-property org.freedesktop.systemd1 "$(unit_object_path "$UNIT_ID")" "$iface" $props \
                > "$f.json" 2> "$f.json.err"
}

# One line: what happened and the state after it. The invocation ID attributes the records of
# confined probes (which cannot read /proc/self/cgroup) to this unit.
state_line() {
        local what=$1 u=$2
        echo "$what $("${SCTL[@]}" show -p ActiveState,SubState,Result,ExecMainCode,ExecMainStatus,InvocationID -- "$u" 2>&1 | paste -sd' ')"
}

run_unit() {
        local f=$1 u=$2 starts=$3 i rc state
        : > "$f.run"
        for ((i = 1; i <= starts; i++)); do
                timeout 60 "${SCTL[@]}" start -- "$u" > "$f.start.$i" 2>&1
                rc=$?
                state=$(state_line "start $i rc=$rc" "$u")
                echo "$state" >> "$f.run"
                # After the start: a failed unit stays loaded with the statuses of what ran.
                exec_lists "$f"
                if [[ $UNIT_CAN_RELOAD == yes && $state == *ActiveState=@(active|activating|reloading)* ]]; then
                        timeout 60 "${SCTL[@]}" reload -- "$u" >> "$f.start.$i" 2>&1
                        state_line "reload $i rc=$?" "$u" >> "$f.run"
                fi
                timeout 60 "${SCTL[@]}" stop -- "$u" >> "$f.start.$i" 2>&1
                rc=$?
                state=$(state_line "stop $i rc=$rc" "$u")
                echo "$state" >> "$f.run"
                [[ $state == *ActiveState=failed* ]] && "${SCTL[@]}" reset-failed -- "$u" 2>/dev/null
        done
}

# Whether the generator wrote the same for unit $1 at boot and now (then running it again would only
# repeat the boot phase: its view is still checked).
same_generator_output() {
        local n
        local g=
        [[ -n $USER_MODE ]] && g=-user
        for n in "${1#user:}" "$UNIT_ID" "$(sed -E 's/@[^.]*\./@./' <<< "$UNIT_ID")"; do
                diff -r "$R/gen-boot$g/$n.d" "$R/gen-reload$g/$n.d" > /dev/null 2>&1 ||
                        { [[ ! -e $R/gen-boot$g/$n.d && ! -e $R/gen-reload$g/$n.d ]] || return 1; }
        done
        return 0
}

# The units of one worker: manifest lines whose index modulo WORKERS is $2.
run_worker() {
        local phase=$1 worker=$2 idx unit set starts f
        while read -r idx _ unit set starts; do
                ((idx % WORKERS == worker)) || continue
                if [[ $phase == edit ]]; then
                        [[ $set == edit ]] || continue
                else
                        [[ $set == main ]] || continue
                fi
                f=$R/$phase/$idx
                select_manager "$unit"
                unit=${unit#user:}
                view_unit "$f" "$unit"
                if [[ $phase == raw ]]; then
                        exec_lists "$f"
                elif [[ $phase == reload ]] && same_generator_output "$unit"; then
                        exec_lists "$f"
                        echo "not run: the generator wrote the same as at boot" > "$f.run"
                else
                        run_unit "$f" "$unit" "$starts"
                fi
        done < "$D/manifest"
}

# Manifest lines: INDEX TREE UNIT SET STARTS (SET: "main" or "edit"). Units run in WORKERS parallel
# lanes; every unit's own steps stay in order.
run_phase() {
        local phase=$1 w
        mkdir -p "$R/$phase"
        : > "$OUT/records"
        chmod 0666 "$OUT/records"
        lay_fixtures
        for ((w = 0; w < WORKERS; w++)); do
                run_worker "$phase" "$w" &
        done
        wait
        cp "$OUT/records" "$R/records-$phase"
}

main() {
        local t
        setup
        start_user_manager
        log "systemd $(sed -n 's/^systemd //p' "$R/info"): $(wc -l < "$D/manifest") units"
        copy_generator_output boot
        run_phase boot
        log "phase boot done"

        systemctl daemon-reload
        user_daemon_reload
        copy_generator_output reload
        run_phase reload
        log "phase reload done"

        mkdir -p /etc/systemd/system-generators /etc/systemd/user-generators
        ln -sf /dev/null /etc/systemd/system-generators/systemd-landlock-generator
        ln -sf /dev/null /etc/systemd/user-generators/systemd-landlock-generator
        systemctl daemon-reload
        user_daemon_reload
        run_phase raw
        rm -f /etc/systemd/system-generators/systemd-landlock-generator /etc/systemd/user-generators/systemd-landlock-generator
        systemctl daemon-reload
        user_daemon_reload
        log "phase raw done"

        if grep -q ' edit ' "$D/manifest"; then
                copy_generator_output edit
                for t in "$D"/trees/*/after-boot; do
                        [[ -d $t ]] && cp -a "$t"/. /
                done
                run_phase edit
                log "phase edit done"
        fi

        # Which unit each invocation ID belongs to (PID 1's "Starting …" messages carry both): a
        # condition that fails resets the unit's InvocationID before the harness can read it.
        journalctl --sync
        journalctl -b --no-pager -o json --output-fields=UNIT,INVOCATION_ID _PID=1 > "$R/invocations.json" 2>&1
        [[ -n ${USER_UID:-} ]] && journalctl -b --no-pager -o json --output-fields=USER_UNIT,USER_INVOCATION_ID \
                "_UID=$USER_UID" > "$R/user-invocations.json" 2>&1
        journalctl -b --no-pager -o short-monotonic > "$R/journal.txt" 2>&1
        echo "done" > "$R/done"
}

exec 2> "$R/inside.log"
main
exit 0
