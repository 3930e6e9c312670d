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
[[ $(words lltest-mountlist-allow.service) == "$expect_words" ]] ||
        fail "lltest-mountlist-allow.service: --list-mounts $(words lltest-mountlist-allow.service), expected $expect_words on $SYSTEMD_VERSION"
[[ $(words lltest-mountlist-deny.service) == no ]] || fail "lltest-mountlist-deny.service: --list-mounts although the filter kills statmount"
[[ $(words lltest-mountlist-nofilter.service) == yes ]] || fail "lltest-mountlist-nofilter.service: no --list-mounts"

for u in lltest-mountlist-allow.service lltest-mountlist-deny.service lltest-mountlist-nofilter.service; do
        start_ok $u
        expect $u "read /etc/lltest/secret: EACCES" "read /srv/lltest/mlist/real/file: ok"
done
note "systemd $SYSTEMD_VERSION: --list-mounts for @system-service: $expect_words"
rm -rf /srv/lltest/mlist /srv/lltest/mlist-state
