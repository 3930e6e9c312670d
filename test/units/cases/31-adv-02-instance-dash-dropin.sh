# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding: for an INSTANCE "adv-dash@1.service", systemd 252 also reads the dash-prefix drop-in dirs
# "adv-@1.service.d/" and "adv-@.service.d/" (unit_file_find_dirs() in src/shared/dropin.c rebuilds the
# prefix name WITH the instance: unit_name_build_from_type(prefix, instance, …)). The generator's
# dash_prefixes() (src/shared/unit-lookup.c) builds "adv-.service" instead, so it neither reads those
# dirs nor names its drop-in after them: "zzz.conf" there sorts after "zz-landlock.conf" and its
# ExecStart= runs unwrapped.
. /usr/lib/systemd-landlock-tests/lib-adv.sh

u=adv-dash@1.service
reset_unit $u
cat > /etc/systemd/system/adv-dash@.service <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$u.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
mkdir -p /etc/systemd/system/adv-@.service.d
cat > /etc/systemd/system/adv-@.service.d/zzz.conf <<EOU
[Service]
ExecStart=
ExecStart=$PROBE tag dash read /etc/lltest/secret
EOU
systemctl daemon-reload
show_exec $u
systemctl start $u
cat "$OUT/$u.out"
grep -q "dash read /etc/lltest/secret: ok" "$OUT/$u.out" && fail "$u: the command of adv-@.service.d/zzz.conf ran unconfined"
true
