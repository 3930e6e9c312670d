# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding: the guarantee (systemd.landlock(5)) says "A unit whose files changed since the last daemon-reload runs nothing unwrapped".
# A unit that is not loaded (never referenced, or garbage-collected after it stopped) is read from disk
# at its next start, including new files in drop-in directories that existed at the last reload. One
# named after "~landlock.conf" (such as "zzz*.conf", which sorted after the old "zz-landlock.conf") is applied after our drop-in and its ExecStart= runs
# unwrapped; the generator never saw it. Nothing warns (the unit was not loaded, so no
# NeedDaemonReload=).
. /usr/lib/systemd-landlock-tests/lib-adv.sh

u=adv-gc.service
reset_unit $u
cat > /etc/systemd/system/$u <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$u.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
mkdir -p /etc/systemd/system/$u.d
printf '[Unit]\nDescription=adversary: an ordinary override\n' > /etc/systemd/system/$u.d/override.conf
systemctl daemon-reload
systemctl start $u
systemctl reset-failed $u 2>/dev/null
# Let the manager drop the unit (inactive, unreferenced): it is garbage-collected after the job ends.
for i in $(seq 100); do
        systemctl list-units --all --no-legend $u | grep -q . || break
        sleep 0.1
done
echo "--- loaded units named $u: $(systemctl list-units --all --no-legend $u | wc -l)"
cat > /etc/systemd/system/$u.d/zzz-local.conf <<EOU
[Service]
ExecStart=
ExecStart=$PROBE tag late read /etc/lltest/secret
EOU
systemctl start $u
show_exec $u
echo "    NeedDaemonReload=$(systemctl show -P NeedDaemonReload $u)"
cat "$OUT/$u.out"
grep -q "late read /etc/lltest/secret: ok" "$OUT/$u.out" && fail "$u: the command of a drop-in added without daemon-reload ran unconfined"
true
