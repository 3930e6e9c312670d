#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside a booted container as lltest-package-runner.service: the Debian package's life cycle
# under the container's systemd, with the packages bound in at /mnt/lltest-debs/{v1,v2}. Each step is a
# TAP line in /mnt/lltest-results/tap; a step that fails ends the run (the next ones build on it).
# The test never runs daemon-reload itself once the package is involved: the maintainer scripts must.
set -uo pipefail

T=/usr/lib/systemd-landlock-tests
DEBS=/mnt/lltest-debs
RESULTS=/mnt/lltest-results
UNIT=lltest-pkg.service
USER_UNIT=lltest-pkg-user.service
OUTFILE=/run/lltest-pkg/out
TEMPLATE=lltest-pkg-tmpl@.service
HOME_UNIT=lltest-pkg-home.service
HOME_USER=lltestpkg
GUARD=/etc/systemd/system/$UNIT.d/~landlock-removed.conf
USER_GUARD=/etc/systemd/user/$USER_UNIT.d/~landlock-removed.conf
TEMPLATE_GUARD=/etc/systemd/system/$TEMPLATE.d/~landlock-removed.conf
HOME_GUARD=/etc/systemd/user/$HOME_UNIT.d/~landlock-removed.conf
n=0
LOG=/run/lltest-pkg/step.log

emit() {
        echo "$*"
        echo "$*" >> "$RESULTS/tap"
}

# step NAME FUNCTION: one TAP line; the function's output is shown when it fails.
step() {
        local name=$1 rc
        n=$((n + 1))
        # A subshell: fail() exits the step, not the run.
        ("$2") > "$LOG" 2>&1
        rc=$?
        if [[ $rc == 0 ]]; then
                emit "ok $n - $name"
                return 0
        fi
        emit "not ok $n - $name"
        sed 's/^/#   /' "$LOG" | tail -n 60 | while IFS= read -r l; do emit "$l"; done
        emit "1..$n"
        emit "# lltest-done failed=1"
        exit 0
}

fail() {
        echo "FAIL: $*"
        echo "--- systemctl status $UNIT"
        systemctl --no-pager status "$UNIT" 2>&1 | head -n 12
        echo "--- journal of $UNIT"
        journalctl --no-pager -b -o cat -u "$UNIT" | tail -n 15
        exit 1
}

# apt_install VERSION_DIR: both packages of one build, the way an administrator installs a .deb.
apt_install() {
        apt-get install -y --no-install-recommends "$DEBS/$1"/systemd-landlock_*.deb "$DEBS/$1"/systemd-landlock-tools_*.deb ||
                fail "apt-get install of $1 failed"
        [[ $(dpkg-query -W -f='${Version}' systemd-landlock) == "$(cat "$DEBS/$1/version")" ]] ||
                fail "systemd-landlock is not at version $(cat "$DEBS/$1/version") after installing $1"
}

# run_unit: starts the oneshot unit; its output is what the probe could and could not read.
run_unit() {
        : > "$OUTFILE"
        systemctl reset-failed "$UNIT" 2>/dev/null
        systemctl start "$UNIT"
}

# goes_through_enforcer: an ExecStart= (systemctl show) on stdin runs the enforcer, by its own path or
# through one of the generator's links named after the command (journal identity,
# systemd-landlock-generator(8)).
goes_through_enforcer() {
        grep -qE '(/usr/libexec/systemd-landlock-exec|/systemd/generator/landlock-exec/)'
}

expect_confined() {
        local what
        run_unit || fail "systemctl start $UNIT failed"
        for what in "read /srv/lltest-pkg/granted/file: ok" "read /etc/lltest-pkg/secret: EACCES"; do
                grep -qxF "$what" "$OUTFILE" || { cat "$OUTFILE"; fail "expected '$what': the unit is not confined"; }
        done
        systemctl show -P ExecStart "$UNIT" | goes_through_enforcer ||
                fail "ExecStart= of $UNIT does not go through the enforcer"
}

# The user manager of HOME_USER, whose unit in its home only that manager's generator sees.
as_home_user() {
        runuser -u "$HOME_USER" -- env XDG_RUNTIME_DIR="/run/user/$(id -u "$HOME_USER")" "$@"
}

# start_instance NAME: an instance of the template unit; its output is in /run/lltest-pkg/tmpl-NAME.
start_instance() {
        rm -f "/run/lltest-pkg/tmpl-$1"
        systemctl reset-failed "lltest-pkg-tmpl@$1.service" 2>/dev/null
        systemctl start "lltest-pkg-tmpl@$1.service"
}

expect_unconfined() {
        run_unit || fail "systemctl start $UNIT failed"
        grep -qxF "read /etc/lltest-pkg/secret: ok" "$OUTFILE" || { cat "$OUTFILE"; fail "the unit is confined"; }
}

# --- the steps

fixtures() {
        mkdir -p /srv/lltest-pkg/granted /etc/lltest-pkg "${OUTFILE%/*}"
        echo granted > /srv/lltest-pkg/granted/file
        echo secret > /etc/lltest-pkg/secret
        cat > "/etc/systemd/system/$UNIT" <<UNIT_EOF
[Unit]
Description=A unit with Landlock directives, enabled before the package is installed

[Service]
Type=oneshot
ExecStart=$T/lltest-probe read /srv/lltest-pkg/granted/file read /etc/lltest-pkg/secret
StandardOutput=append:$OUTFILE
X-LandlockReadOnlyPaths=/srv/lltest-pkg/granted

[Install]
WantedBy=multi-user.target
UNIT_EOF
        # A user unit in the system-wide directory: removal must guard it for every user.
        mkdir -p /etc/systemd/user
        cat > "/etc/systemd/user/$USER_UNIT" <<UNIT_EOF
[Service]
ExecStart=$T/lltest-probe read /etc/lltest-pkg/secret
X-LandlockReadOnlyPaths=/srv/lltest-pkg/granted
UNIT_EOF
        # A template: removal must guard all its instances.
        cat > "/etc/systemd/system/$TEMPLATE" <<UNIT_EOF
[Service]
Type=oneshot
ExecStart=$T/lltest-probe read /etc/lltest-pkg/secret
StandardOutput=file:/run/lltest-pkg/tmpl-%i
X-LandlockReadOnlyPaths=/srv/lltest-pkg/granted
UNIT_EOF
        # A user unit in a user's home: only the generator of that user's running manager sees it.
        useradd -m -u 4712 "$HOME_USER" || fail "useradd $HOME_USER failed"
        mkdir -p "/home/$HOME_USER/.config/systemd/user"
        cat > "/home/$HOME_USER/.config/systemd/user/$HOME_UNIT" <<UNIT_EOF
[Service]
Type=oneshot
ExecStart=$T/lltest-probe read /etc/lltest-pkg/secret
X-LandlockReadOnlyPaths=/srv/lltest-pkg/granted
UNIT_EOF
        chown -R "$HOME_USER:" "/home/$HOME_USER/.config"
        # The container runs no pam_systemd/logind session for the user, so nothing else sets this.
        mkdir -p /etc/systemd/system/user@4712.service.d
        printf '[Service]\nEnvironment=XDG_RUNTIME_DIR=/run/user/4712\n' > /etc/systemd/system/user@4712.service.d/runtime-dir.conf
        systemctl daemon-reload
        systemctl enable "$UNIT" || fail "systemctl enable $UNIT failed"
        # Without the package the directives are ignored: what "confined" is checked against.
        expect_unconfined
}

install_v1() {
        apt_install v1
        expect_confined
        start_instance a || fail "lltest-pkg-tmpl@a.service did not start"
        grep -qxF "read /etc/lltest-pkg/secret: EACCES" /run/lltest-pkg/tmpl-a || fail "the template instance is not confined"
        # The user manager starts after the package is installed: its generator wraps the unit in the home.
        systemctl start user@4712.service || {
                journalctl --no-pager -b -u user@4712.service | tail -n 20
                fail "cannot start the user manager of $HOME_USER"
        }
        as_home_user systemctl --user show -P ExecStart "$HOME_UNIT" | goes_through_enforcer ||
                fail "the user manager of $HOME_USER did not wrap $HOME_UNIT"
}

upgrade_v2() {
        apt_install v2
        expect_confined
        [[ ! -e $GUARD ]] || fail "$GUARD exists while the package is installed"
}

remove_refuses() {
        local out
        out=$(apt-get remove -y systemd-landlock systemd-landlock-tools 2>&1) || { echo "$out"; fail "apt-get remove failed"; }
        echo "$out"
        grep -q "refuse to start until systemd-landlock is installed again" <<<"$out" || fail "removal did not warn"
        grep -qF "system: $UNIT" <<<"$out" || fail "removal did not name $UNIT"
        grep -qF "user: $USER_UNIT" <<<"$out" || fail "removal did not name the user unit $USER_UNIT"
        grep -qF "system: $TEMPLATE" <<<"$out" || fail "removal did not name the template $TEMPLATE"
        grep -qF "user: $HOME_UNIT" <<<"$out" || fail "removal did not name the user unit $HOME_UNIT"
        [[ -f $GUARD ]] || fail "no guard $GUARD after removal"
        [[ -f $USER_GUARD ]] || fail "no guard $USER_GUARD after removal"
        [[ -f $TEMPLATE_GUARD ]] || fail "no guard $TEMPLATE_GUARD after removal"
        [[ -f $HOME_GUARD ]] || fail "no guard $HOME_GUARD for the unit in the home of $HOME_USER after removal"
        start_instance b && fail "an instance of the template started after the package was removed"
        [[ ! -e /run/lltest-pkg/tmpl-b ]] || fail "the command of lltest-pkg-tmpl@b.service ran"
        # User managers load the guards at their next daemon-reload.
        as_home_user systemctl --user daemon-reload || fail "systemctl --user daemon-reload failed"
        as_home_user systemctl --user start "$HOME_UNIT" && fail "$HOME_UNIT started after the package was removed"
        [[ $(as_home_user systemctl --user show -P AssertResult "$HOME_UNIT") == no ]] ||
                fail "$HOME_UNIT did not fail on its assertion"
        [[ ! -e /usr/libexec/systemd-landlock-exec ]] || fail "the enforcer is still installed"
        systemctl show -P ExecStart "$UNIT" | goes_through_enforcer &&
                fail "$UNIT still goes through the removed enforcer (no daemon-reload after removal?)"
        run_unit && fail "$UNIT started after the package was removed"
        [[ $(systemctl show -P AssertResult "$UNIT") == no ]] || fail "$UNIT did not fail on its assertion"
        [[ ! -s $OUTFILE ]] || { cat "$OUTFILE"; fail "the command of $UNIT ran"; }
        systemctl cat "$UNIT" | grep -q "^# Written by the systemd-landlock package when it was removed" ||
                fail "systemctl cat $UNIT does not show why it refuses"
}

reinstall_v2() {
        apt_install v2
        [[ ! -e $GUARD && ! -e ${GUARD%/*} ]] || fail "the guard or its directory is left after reinstalling"
        [[ ! -e $USER_GUARD && ! -e $TEMPLATE_GUARD && ! -e $HOME_GUARD ]] || fail "a guard is left after reinstalling"
        expect_confined
}

purge() {
        local out left g
        out=$(apt-get purge -y systemd-landlock systemd-landlock-tools 2>&1) || { echo "$out"; fail "apt-get purge failed"; }
        echo "$out"
        grep -q "purged; these units with Landlock directives no longer refuse to start" <<<"$out" ||
                fail "purge did not warn that the guarded units now run without Landlock"
        grep -qF "system: $UNIT" <<<"$out" || fail "purge did not name $UNIT"
        [[ -f $GUARD ]] && fail "purge left $GUARD"
        for g in "$GUARD" "$USER_GUARD" "$TEMPLATE_GUARD" "$HOME_GUARD"; do
                [[ -e ${g%/*} ]] && fail "purge left ${g%/*}"
        done
        left=$(find /etc /var/lib /usr -path /usr/lib/systemd-landlock-tests -prune -o -name '*landlock*' -print 2>/dev/null)
        [[ -z $left ]] || fail "purge left: $left"
        dpkg-query -W -f='${db:Status-Status}' systemd-landlock 2>/dev/null | grep -qv not-installed &&
                fail "dpkg still knows systemd-landlock"
        # Documented: after a purge nothing of the package is left, and the unit runs without Landlock.
        expect_unconfined
}

mkdir -p "${OUTFILE%/*}"
emit "# systemd $(systemctl --version | head -n 1 | cut -d' ' -f2-3), $(. /etc/os-release; echo "$PRETTY_NAME"), packages $(cat $DEBS/v1/version) and $(cat $DEBS/v2/version)"
step "a unit with directives, enabled, runs unconfined without the package" fixtures
step "install $(cat $DEBS/v1/version): the unit is confined (no manual daemon-reload)" install_v1
step "upgrade to $(cat $DEBS/v2/version): the unit is still confined" upgrade_v2
step "remove: the units (system, template, user, user in a home) refuse to start (assertion), with a warning naming them" remove_refuses
step "install again: the guards are gone, the unit is confined" reinstall_v2
step "purge: no file of the package is left; the unit runs without Landlock" purge
emit "1..$n"
emit "# lltest-done failed=0"
