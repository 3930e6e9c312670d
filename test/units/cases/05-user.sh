# SPDX-License-Identifier: LGPL-2.1-or-later
# User=: the service runs as lltest, Landlock denies what file permissions would allow.
. /usr/lib/systemd-landlock-tests/lib.sh

rm -f /srv/lltest/rw/new-user /srv/lltest/open/new-user
start_ok lltest-user.service
expect lltest-user.service \
        "uid 4711: ok" \
        "read /etc/lltest/secret: EACCES" \
        "read /srv/lltest/ro/file: ok" \
        "write /srv/lltest/rw/new-user: ok" \
        "write /srv/lltest/open/new-user: EACCES"
