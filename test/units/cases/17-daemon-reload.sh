# SPDX-License-Identifier: LGPL-2.1-or-later
# Editing a unit and running daemon-reload changes the policy of the next start.
. /usr/lib/systemd-landlock-tests/lib.sh

u=lltest-reload.service
cat > /etc/systemd/system/$u <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$u.out
StandardError=journal
ExecStart=$PROBE read /srv/lltest/ro/file read /srv/lltest/extra/file
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
systemctl daemon-reload
start_ok $u
expect $u "read /srv/lltest/ro/file: ok" "read /srv/lltest/extra/file: EACCES"

sed -i 's|^LandlockReadOnlyPaths=.*|LandlockReadOnlyPaths=/srv/lltest/extra|' /etc/systemd/system/$u
systemctl daemon-reload
start_ok $u
expect $u "read /srv/lltest/ro/file: EACCES" "read /srv/lltest/extra/file: ok"
rm -f /etc/systemd/system/$u
systemctl daemon-reload
