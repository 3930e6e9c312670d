# SPDX-License-Identifier: LGPL-2.1-or-later
# LandlockPaths=, LandlockReadOnlyPaths=, LandlockReadWritePaths=, LandlockExecPaths=, an optional
# missing path and the X- spelling: each grant allows what it says and nothing more.
. /usr/lib/systemd-landlock-tests/lib.sh

start_ok lltest-fs.service
expect lltest-fs.service \
        "read /srv/lltest/ro/file: ok" \
        "write /srv/lltest/ro/new: EACCES" \
        "read /srv/lltest/rw/file: ok" \
        "write /srv/lltest/rw/new: ok" \
        "read /srv/lltest/paths/file: ok" \
        "write /srv/lltest/paths/new: EACCES" \
        "read /srv/lltest/xro/file: ok" \
        "read /etc/lltest/secret: EACCES" \
        "write /srv/lltest/denied/new: EACCES" \
        "exec /srv/lltest/exec/probe: ok" \
        "exec /srv/lltest/ro/probe: EACCES" \
        "read /srv/lltest/exec/file: ok"
[[ -e /srv/lltest/rw/new ]] || fail "the allowed write did not create /srv/lltest/rw/new"
[[ ! -e /srv/lltest/ro/new ]] || fail "the denied write created /srv/lltest/ro/new"
