# SPDX-License-Identifier: LGPL-2.1-or-later
# A drop-in written the way "systemctl edit" writes it adds a path.
. /usr/lib/systemd-landlock-tests/lib.sh

rm -rf /etc/systemd/system/lltest-dropin.service.d
systemctl daemon-reload
start_ok lltest-dropin.service
expect lltest-dropin.service "read /srv/lltest/ro/file: ok" "read /srv/lltest/extra/file: EACCES"

printf '[Service]\nLandlockReadOnlyPaths=/srv/lltest/extra\n' > /run/lltest/override.conf
# systemctl edit runs the editor on a temporary copy, installs it as override.conf and reloads; it
# insists on a terminal, which script(1) provides. The temporary file is the editor's last argument
# (257+ passes a "+LINE" argument before it).
printf '#!/bin/sh\nfor f; do :; done\ncp /run/lltest/override.conf "$f"\n' > /run/lltest/editor
chmod +x /run/lltest/editor
SYSTEMD_EDITOR=/run/lltest/editor script -qec "systemctl edit lltest-dropin.service" /dev/null ||
        fail "systemctl edit failed"
grep -q '^LandlockReadOnlyPaths=/srv/lltest/extra' /etc/systemd/system/lltest-dropin.service.d/override.conf ||
        fail "systemctl edit did not write the drop-in: $(cat /etc/systemd/system/lltest-dropin.service.d/override.conf 2>&1)"
start_ok lltest-dropin.service
expect lltest-dropin.service "read /srv/lltest/ro/file: ok" "read /srv/lltest/extra/file: ok"
rm -rf /etc/systemd/system/lltest-dropin.service.d
systemctl daemon-reload
