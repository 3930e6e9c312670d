#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Runs inside the demo container: starts demo.service and writes what a person should see to the results
# directory the host bound in; the host prints it.
OUT=/mnt/lltest-results/demo.txt

mkdir -p /srv/demo/public /srv/demo/private
echo "hello, world" > /srv/demo/public/hello.txt
echo "the root password" > /srv/demo/private/secret.txt

{
        echo "systemd $(systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') as PID 1, kernel $(uname -r)"
        echo
        echo "\$ systemctl cat demo.service"
        systemctl cat demo.service | grep -v '^#'
        echo "\$ systemctl start demo.service"
        systemctl start demo.service && echo "(started and finished)" || echo "(the start FAILED)"
        echo "\$ journalctl -u demo.service -o cat"
        # The service's output reaches the journal asynchronously.
        for i in $(seq 50); do
                journalctl -b -u demo.service -o cat | grep -q '/srv/demo/private' && break
                sleep 0.1
        done
        journalctl --no-pager -b -u demo.service -o cat | grep -E '^(ALLOWED|DENIED)'
        echo
        if command -v systemd-landlock >/dev/null; then
                echo "\$ systemd-landlock security demo.service"
                systemd-landlock --no-pager security demo.service
        else
                echo "(systemd-landlock is not built yet: no security report)"
        fi
} > "$OUT" 2>&1
echo done > /mnt/lltest-results/demo.done
