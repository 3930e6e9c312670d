# SPDX-License-Identifier: LGPL-2.1-or-later
# RootDirectory=: paths are resolved in the service's own root. /etc/lltest/secret there is the root's
# own file; /srv/lltest/ro exists on the host but not in the root, so requiring it fails with 248.
. /usr/lib/systemd-landlock-tests/lib.sh

start_ok lltest-rootdir.service
expect lltest-rootdir.service \
        "read /data/ok/file: ok" \
        "read /data/denied/file: EACCES" \
        "read /etc/lltest/secret: EACCES"
start_fails lltest-rootdir-hostpath.service $EXIT_MISSING
