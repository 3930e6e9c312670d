# SPDX-License-Identifier: LGPL-2.1-or-later
# Libraries preloaded with Environment=LD_PRELOAD= or /etc/ld.so.preload, whose constructor tries to read
# the secret and starts threads that try it too (helpers/preload-threads.c).
# - Static enforcer (the default build): they never load into it. They first run in the service's
#   command, already confined: the constructor and every thread are denied, whatever
#   LandlockProcessWide= says, and even threads that block every signal cannot stop the start.
# - Dynamic enforcer (-Dstatic-enforcer=false): they load into it before its main(), unconfined (their
#   constructor reads the secret), and start threads there:
#   - threads that take signals: auto, yes and no all start the service, and it is confined;
#   - threads that block every signal cannot be reached before TSYNC (ABI 8; this kernel has ABI 7):
#     auto (more than one thread) and yes must refuse to exec, all or nothing (exit 246, or SIGKILL of
#     the half-restricted process, systemd-landlock-exec(8)), saying which thread; no restricts only the calling thread,
#     which execs the service, confined.
. /usr/lib/systemd-landlock-tests/lib.sh

ENFORCER=/usr/libexec/systemd-landlock-exec
COMMAND=$T/lltest-probe-dynamic
LINKING=$(cat "$T/enforcer-linking")
abi=$(cat /run/lltest/abi 2>/dev/null)
note "enforcer linked: $LINKING"

# The build option and the installed binary agree.
if [[ $LINKING == static ]]; then
        ldd "$ENFORCER" 2>&1 | grep -qE "statically linked|not a dynamic executable" ||
                fail "$ENFORCER should be statically linked: $(ldd "$ENFORCER" 2>&1 | head -n 3)"
else
        ldd "$ENFORCER" 2>&1 | grep -q "libc.so" || fail "$ENFORCER should be dynamically linked"
fi

# confined_in_command UNIT: the service ran confined, and so did the preloaded library in it: its
# constructor and its 4 threads were denied the secret.
confined_in_command() {
        local u=$1 n
        expect "$u" "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok" \
                "preload constructor in $COMMAND: read /etc/lltest/secret: EACCES"
        n=$(grep -cxF "preload thread in $COMMAND: read /etc/lltest/secret: EACCES" "$OUT/$u.out")
        ((n == 4)) || fail "$u: $n of the 4 preloaded threads in the command reported being denied"
        ! grep -q "^preload .* in $COMMAND: .*: ok$" "$OUT/$u.out" || fail "$u: the library read the secret in the command"
}

# never_in_enforcer UNIT: not one line of the library came from the enforcer.
never_in_enforcer() {
        ! grep -q "^preload .* in $ENFORCER:" "$OUT/$1.out" || fail "$1: the library ran in the enforcer"
}

# unconfined_in_enforcer UNIT: the library's constructor ran in the enforcer, before it restricted itself.
unconfined_in_enforcer() {
        expect "$1" "preload constructor in $ENFORCER: read /etc/lltest/secret: ok"
}

units=()
for mode in auto yes no; do
        units+=(lltest-preload-threads-$mode.service)
done
units+=(lltest-preload-blocked-no.service lltest-preload-etc.service)

if [[ $LINKING == static ]]; then
        for u in "${units[@]}" lltest-preload-blocked-auto.service lltest-preload-blocked-yes.service; do
                start_ok "$u"
                confined_in_command "$u"
                never_in_enforcer "$u"
        done
        exit 0
fi

for u in "${units[@]}"; do
        start_ok "$u"
        confined_in_command "$u"
        unconfined_in_enforcer "$u"
done

if [[ -n $abi ]] && ((abi >= 8)); then
        note "Landlock ABI $abi has TSYNC: blocked threads are restricted too, auto/yes start"
        for mode in auto yes; do
                u=lltest-preload-blocked-$mode.service
                start_ok "$u"
                confined_in_command "$u"
        done
else
        for mode in auto yes; do
                u=lltest-preload-blocked-$mode.service
                start_refused "$u"
                did_not_run "$u"
                expect_journal "$u" "[Tt]hread"
        done
fi
