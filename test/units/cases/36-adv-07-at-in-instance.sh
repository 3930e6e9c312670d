# SPDX-License-Identifier: LGPL-2.1-or-later
# Finding: systemd 252 accepts further "@" in an instance name (unit_name_is_valid() and
# unit_instance_is_valid() in src/basic/unit-name.c: "We allow additional @ in the instance string"),
# the generator's unit_name_is_valid() (src/shared/unit-lookup.c) rejects a second "@". So it skips
#  - the drop-in dir "adv-at@a@b.service.d/" of an instance of a template with directives: a "zzz.conf"
#    there is applied after our "zz-landlock.conf" and its ExecStart= runs unwrapped;
#  - a unit file named like that, with directives of its own: no drop-in at all.
. /usr/lib/systemd-landlock-tests/lib-adv.sh

u=adv-at@a@b.service
reset_unit $u
cat > /etc/systemd/system/adv-at@.service <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$u.out
StandardError=journal
ExecStart=$PROBE tag main read /etc/lltest/secret
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
mkdir -p "/etc/systemd/system/$u.d"
cat > "/etc/systemd/system/$u.d/zzz.conf" <<EOU
[Service]
ExecStart=
ExecStart=$PROBE tag dropin read /etc/lltest/secret
EOU

v=adv-atfile@x@y.service
reset_unit $v
cat > "/etc/systemd/system/$v" <<EOU
[Service]
Type=oneshot
StandardOutput=append:$OUT/$v.out
StandardError=journal
ExecStart=$PROBE tag file read /etc/lltest/secret
LandlockReadOnlyPaths=/srv/lltest/ro
EOU
systemctl daemon-reload
show_exec $u
show_exec $v
systemctl start $u
systemctl start $v
cat "$OUT/$u.out" "$OUT/$v.out"
bad=0
grep -q "dropin read /etc/lltest/secret: ok" "$OUT/$u.out" && { echo "UNCONFINED: $u"; bad=1; }
grep -q "file read /etc/lltest/secret: ok" "$OUT/$v.out" && { echo "UNCONFINED: $v"; bad=1; }
[[ $bad == 0 ]] || fail "units with Landlock directives ran unconfined"
