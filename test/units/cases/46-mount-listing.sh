# SPDX-License-Identifier: LGPL-2.1-or-later
# The mount table under a unit's seccomp filter. A rule through a symlink needs it; the enforcer reads it
# with listmount(2) and statmount(2) only where nothing can kill it for those calls: the generator says so
# with --list-mounts where the unit's SystemCallFilter= lets them through (src/shared/systemd-version.c
# holds which systemd groups hold them: checked here against the running systemd). Under every filter the
# service starts, confined, and reads through the rule. (Under nspawn both calls fail with ENOSYS, so the
# enforcer reads mountinfo here in any case: what this case proves is that no unit's filter kills it.)
. /usr/lib/systemd-landlock-tests/lib.sh

# Which groups hold the calls, as this systemd prints them.
holders() {
        systemd-analyze syscall-filter --no-pager 2>/dev/null | awk -v c="$1" '/^@/ { g = $1; next } /^#/ { g = ""; next } $1 == c && g { print g }' | sort -u | tr '\n' ' '
}
case $SYSTEMD_VERSION in
252)
        [[ -z $(holders listmount)$(holders statmount) ]] ||
                fail "systemd 252 lists listmount/statmount in: $(holders listmount)$(holders statmount)"
        expect_words=no
        ;;
25[7-9]|26[0-2])
        for c in listmount statmount; do
                [[ $(holders $c) == "@file-system @known " ]] || fail "systemd $SYSTEMD_VERSION: $c is in: $(holders $c)"
        done
        [[ $(holders @file-system) == "@system-service " ]] ||
                fail "systemd $SYSTEMD_VERSION: @file-system is in: $(holders @file-system)"
        expect_words=yes
        ;;
*)
        fail "systemd $SYSTEMD_VERSION: which groups hold listmount/statmount is not checked for this version"
        ;;
esac

rm -rf /srv/lltest/mlist /srv/lltest/mlist-state
mkdir -p /srv/lltest/mlist/real /srv/lltest/mlist-state
echo data > /srv/lltest/mlist/real/file
ln -s real /srv/lltest/mlist/link

words() {
        systemctl show -P ExecStart "$1" | grep -q -- ' --list-mounts ' && echo yes || echo no
}
# systemd as the oracle: whether its effective filter (as "systemctl show" expands it) lets both calls
# through. An allow-list must name both; a deny-list ("~…") neither.
systemd_lets_through() {
        local f c
        f=$(systemctl show -P SystemCallFilter "$1")
        [[ -z $f ]] && { echo yes; return; }
        if [[ $f == "~"* ]]; then
                for c in listmount statmount; do [[ " ${f#\~} " == *" $c "* ]] && { echo no; return; }; done
                echo yes
        else
                for c in listmount statmount; do [[ " $f " == *" $c "* ]] || { echo no; return; }; done
                echo yes
        fi
}
check_words() {
        local u=$1 want=$2 got oracle
        got=$(words "$u")
        oracle=$(systemd_lets_through "$u")
        [[ $got == "$want" ]] || fail "$u: --list-mounts $got, expected $want on systemd $SYSTEMD_VERSION"
        [[ $got == no || $oracle == yes ]] ||
                fail "$u: --list-mounts, but systemd $SYSTEMD_VERSION's filter for it does not let listmount and statmount through"
        note "$u: --list-mounts $got, systemd lets the calls through: $oracle"
}
check_words lltest-mountlist-allow.service "$expect_words"
check_words lltest-mountlist-removals.service "$expect_words"
check_words lltest-mountlist-deny.service no
check_words lltest-mountlist-denylist.service yes
check_words lltest-mountlist-narrow.service no
check_words lltest-mountlist-nofilter.service yes

for u in lltest-mountlist-allow.service lltest-mountlist-removals.service lltest-mountlist-deny.service \
         lltest-mountlist-denylist.service lltest-mountlist-nofilter.service; do
        start_ok $u
        expect $u "read /etc/lltest/secret: EACCES" "read /srv/lltest/mlist/real/file: ok"
done
note "systemd $SYSTEMD_VERSION: --list-mounts for @system-service: $expect_words"
rm -rf /srv/lltest/mlist /srv/lltest/mlist-state
