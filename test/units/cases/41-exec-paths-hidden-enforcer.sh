# SPDX-License-Identifier: LGPL-2.1-or-later
# NoExecPaths=/ with ExecPaths= (Debian's redis unit): the unit works, the enforcer having been added to
# ExecPaths=, and noexec still applies (exec of an unlisted program: EACCES). A unit that hides the enforcer
# (InaccessiblePaths=/usr/libexec) is refused by the generator with file and line, and runs nothing.
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-noexec.service
start_ok $u
expect $u "read /srv/lltest/ro/file: ok" "read /etc/lltest/secret: EACCES" "exec /srv/lltest/exec/probe: EACCES"

u=lltest-hidden-enforcer.service
reset_unit $u
systemctl start $u && fail "systemctl start $u succeeded, expected the generator's refusal"
did_not_run $u
[[ $(systemctl show -P AssertResult $u) == no ]] || fail "$u: AssertResult=$(systemctl show -P AssertResult $u), expected no"
# The generator logs to the kernel log, which a container does not see; the drop-in says the same.
systemctl cat $u | grep -E "^#   (/usr)?/lib/systemd/system/$u:5: InaccessiblePaths=/usr/libexec mounts over" |
        grep -qF "the enforcer /usr/libexec/systemd-landlock-exec would not be there" ||
        fail "$u: the generated drop-in does not give the refusal with file and line: $(systemctl cat $u)"
