# SPDX-License-Identifier: LGPL-2.1-or-later
# DynamicUser=: a transient uid, confined as well.
. /usr/lib/systemd-landlock-tests/lib.sh

start_ok lltest-dynuser.service
expect lltest-dynuser.service "read /etc/lltest/secret: EACCES" "read /srv/lltest/ro/file: ok"
grep -qx 'uid 0: ok' $OUT/lltest-dynuser.service.out && fail "DynamicUser= service ran as root"
true
