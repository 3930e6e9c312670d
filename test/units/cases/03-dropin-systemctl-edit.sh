# SPDX-License-Identifier: LGPL-2.1-or-later
# A drop-in written the way "systemctl edit" writes it adds a path.
. /usr/lib/systemd-landlock-tests/lib.sh

rm -rf /etc/systemd/system/lltest-dropin.service.d
systemctl daemon-reload
start_ok lltest-dropin.service
expect lltest-dropin.service "read /srv/lltest/ro/file: ok" "read /srv/lltest/extra/file: EACCES"

printf '[Service]\nLandlockReadOnlyPaths=/srv/lltest/extra\n' > /run/lltest/override.conf
# systemctl edit runs the editor on a temporary copy, installs it as override.conf and reloads; it
# insists on a terminal, which script(1) provides.
SYSTEMD_EDITOR="cp /run/lltest/override.conf" script -qec "systemctl edit lltest-dropin.service" /dev/null ||
        fail "systemctl edit failed"
grep -q '^LandlockReadOnlyPaths=/srv/lltest/extra' /etc/systemd/system/lltest-dropin.service.d/override.conf ||
        fail "systemctl edit did not write the drop-in: $(cat /etc/systemd/system/lltest-dropin.service.d/override.conf 2>&1)"
start_ok lltest-dropin.service
expect lltest-dropin.service "read /srv/lltest/ro/file: ok" "read /srv/lltest/extra/file: ok"
rm -rf /etc/systemd/system/lltest-dropin.service.d
systemctl daemon-reload
