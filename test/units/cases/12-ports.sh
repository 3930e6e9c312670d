# SPDX-License-Identifier: LGPL-2.1-or-later
# LandlockBindPorts= and LandlockConnectPorts=: the listed TCP ports only. ECONNREFUSED means the
# connect passed Landlock (nothing listens there); EACCES is Landlock's denial.
. /usr/lib/systemd-landlock-tests/lib.sh

start_ok lltest-ports.service
expect lltest-ports.service \
        "bind tcp:7710: ok" \
        "bind tcp:7711: EACCES" \
        "connect tcp:7720: ECONNREFUSED" \
        "connect tcp:7721: EACCES"
