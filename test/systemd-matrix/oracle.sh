#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# oracle.sh BUILD_DIR [host|trixie|sid…]: systemd itself says how it reads units and finds their drop-ins.
# For each case a throwaway tree of unit files is read by `systemd-analyze verify` of each systemd version
# (the host's, and those of the debootstrapped roots in .cache/roots, run through the root's own dynamic
# loader: nothing is booted, nothing is installed) and by our reader and lookup (build/test/generator/
# unit-file-dump). Assignments named M… are markers: systemd warns about each one it applies ("Unknown key"),
# in order; ours must apply exactly the same ones, in the same order. TAP output; exits non-zero on any
# difference or when a requested version cannot be run.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(realpath -m "${1:?usage: oracle.sh BUILD_DIR [host|trixie|sid…]}")
shift
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(host trixie sid)
CACHE=${LLTEST_ROOT_CACHE:-$SRC/.cache/roots}
DUMP=$BUILD/test/generator/unit-file-dump
passed=0
[[ -x $DUMP ]] || { echo "Bail out! $DUMP is not built"; exit 1; }

# systemd-analyze of a root, run on this kernel with the root's loader and libraries.
analyze() {
        local root=$1; shift
        if [[ $root == / ]]; then
                systemd-analyze "$@"
                return
        fi
        local ld libs
        ld=$(ls "$root"/usr/lib64/ld-linux*.so.* "$root"/lib64/ld-linux*.so.* "$root"/usr/lib/*-linux-*/ld-linux*.so.* 2>/dev/null | head -n 1)
        libs=$(ls -d "$root"/usr/lib/*-linux-*/systemd "$root"/usr/lib/*-linux-* "$root"/usr/lib64/systemd "$root"/usr/lib/systemd 2>/dev/null | paste -sd:)
        "$ld" --library-path "$libs" "$root/usr/bin/systemd-analyze" "$@"
}

# ---- the cases: each writes a tree into the current directory (search path a:b:c, highest first) and
# sets UNIT; AMBIGUOUS=NAME when systemd's choice is a hash order (then only our report of it is checked).

service() { mkdir -p "$(dirname "$1")"; printf '[Unit]\nDefaultDependencies=no\n[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$1"; }
marker() { mkdir -p "$(dirname "$1")"; printf '[Service]\n%s=1\n' "$2" >"$1"; }
# A drop-in for t.service with the bytes printf makes of $1.
dropin() { service c/t.service; mkdir -p c/t.service.d; printf "$1" >c/t.service.d/10.conf; UNIT=t.service; }

case_bom_once()             { dropin '\xef\xbb\xbf[Service]\nM1=1\n\xef\xbb\xbfM2=2\nM3=3\n'; }
case_bom_after_comment()    { dropin '# c\n\xef\xbb\xbf[Service]\nM1=1\n'; }
case_bom_hides_comment()    { dropin '[Service]\nM1=1\n\xef\xbb\xbf#M2=2\n'; }
case_cr_nul_line_ends()     { dropin '[Service]\rM1=1\rM2=2\r\rM3=3\r\nM4=4\n\rM5=5\0M6=6\n\0M7=7\0\nM8=8'; }
case_invalid_header()       { dropin '[Service]\nM1=1\n[Foo\nM2=2\n[Service]\nM3=3\n'; }
case_header_comment()       { dropin '[Service]\nM1=1\n[Service] # x\nM2=2\n'; }
case_header_control()       { dropin '[Service]\nM1=1\n[Ser\x01vice]\nM2=2\n'; }
case_header_quote()         { dropin '[Service]\nM1=1\n[Se"rvice]\n[Service]\nM2=2\n'; }
case_header_empty()         { dropin '[Service]\nM1=1\n[]\nM2=2\n[Service]\nM3=3\n'; }
case_header_glob()          { dropin '[Service]\nM1=1\n[A*]\n[Service]\nM2=2\n[A[B]\n[Service]\nM3=3\n'; }
case_invalid_utf8()         { dropin '[Service]\nM1=1\nM2=\xc0\x80\nM3=3\n'; }
case_noncharacter()         { dropin '[Service]\nM1=1\nM2=\xef\xb7\x90\nM3=3\n'; }
case_utf8_in_comment()      { dropin '[Service]\n# \xff\nM1=\xef\xb7\xb0\n'; }
case_missing_key()          { dropin '[Service]\n=1\nM1=1\n.include /x\nM2=2\n'; }
case_continuations()        { dropin '[Service]\nM1=a \\\n# c \\\n; d\n  b\nM2=a \\\n\nM3=x\\\\\nM4=y\\\\\\\nM5=z \\'; }
case_vertical_tab()         { dropin '[Service]\n\vM1=1\n\v#M2=2\nM3=3\n'; }
case_unknown_sections()     { dropin '[X-Foo]\nM1=1\n[Socket]\nM2=2\n[Service]\nM3=3\n'; }
long_line() { # $1: length of the line "M1=xxx…", then a marker line
        service c/t.service; mkdir -p c/t.service.d; UNIT=t.service
        { printf '[Service]\nM0=0\nM1='; head -c $(($1 - 3)) /dev/zero | tr '\0' x; printf '\nM2=2\n'; } >c/t.service.d/10.conf
}
case_line_1048575()         { long_line 1048575; }
case_line_1048576()         { long_line 1048576; }
long_continuation() { # $1: length of the joined line
        service c/t.service; mkdir -p c/t.service.d; UNIT=t.service
        { printf '[Service]\nM0=0\nM1='; head -c 1000 /dev/zero | tr '\0' x; printf '\\\n'
          head -c $(($1 - 1004)) /dev/zero | tr '\0' y; printf '\nM2=2\n'; } >c/t.service.d/10.conf
}
case_continuation_1048576() { long_continuation 1048576; }
case_continuation_1048577() { long_continuation 1048577; }

instance_dirs() {
        service c/foo-bar@.service; UNIT=foo-bar@inst.service
        local d
        for d in foo-bar@inst foo-bar@ foo- foo-@inst foo-@ foo-bar- foo-bar-@ foo-bar-@inst foo@ foo@inst foo-bar; do
                marker "b/$d.service.d/$(tr -c 'a-z\n' _ <<<"$d").conf" "M_$(tr -c 'a-z\n' _ <<<"$d")"
        done
        marker b/service.d/type.conf M_type
}
case_instance_dirs()        { instance_dirs; }
case_instance_dirs_multi()  {
        service c/foo-bar-baz@.service; UNIT=foo-bar-baz@i.service
        local d
        for d in foo-bar-baz@i foo-bar-baz@ foo-bar- foo- foo-bar-@i foo-bar-@ foo-@i foo-@ foo-bar-baz- foo@i; do
                marker "b/$d.service.d/$(tr -c 'a-z\n' _ <<<"$d").conf" "M_$(tr -c 'a-z\n' _ <<<"$d")"
        done
}
case_plain_dash_dirs()      { service c/a--b-c.service; UNIT=a--b-c.service; local d; for d in a--b- a-- a- a; do marker "b/$d.service.d/$(tr -c 'a-z\n' _ <<<"$d").conf" "M_$(tr -c 'a-z\n' _ <<<"$d")"; done; }
same_name() { # FRAGMENT UNIT DIR1 DIR2: x.conf in both, which one is read
        service "c/$1"; UNIT=$2; marker "$3/x.conf" M_1; marker "$4/x.conf" M_2
}
case_rank_path_first()      { same_name foo-bar@.service foo-bar@inst.service a/foo-.service.d b/foo-bar@inst.service.d; }
case_rank_path_first2()     { same_name foo-bar@.service foo-bar@inst.service a/foo-@.service.d b/foo-bar@inst.service.d; }
case_rank_instance_first()  { same_name foo-bar@.service foo-bar@inst.service b/foo-@.service.d b/foo-bar@inst.service.d; }
case_rank_template_dash()   { same_name foo-bar@.service foo-bar@inst.service b/foo-@inst.service.d b/foo-.service.d; }
case_rank_type_last()       { same_name foo.service foo.service a/service.d c/foo.service.d; }
case_rank_alias()           { same_name real.service real.service a/al-x.service.d c/real.service.d; ln -s real.service c/al-x.service; }
case_rank_alias_type()      { same_name real.service real.service a/service.d c/al-x.service.d; ln -s real.service c/al-x.service; }
case_alias_dash()           { service c/real.service; ln -s real.service c/al-x.service; marker b/al-.service.d/z.conf M_z; UNIT=al-x.service; }
case_alias_ambiguous()      { service c/real.service; ln -s real.service c/al1.service; ln -s real.service c/al2.service
                              marker a/al1.service.d/x.conf M_1; marker a/al2.service.d/x.conf M_2; UNIT=real.service; AMBIGUOUS=x.conf; }
case_alias_refused()        { service c/foo.service; printf '[Socket]\nListenStream=/run/x\n' >c/bar.socket; ln -s ../c/bar.socket a/foo.service
                              marker c/foo.service.d/x.conf M_foo; marker c/bar.socket.d/y.conf M_bar; UNIT=foo.service; }
case_alias_self()           { service c/foo.service; ln -s ../c/foo.service a/foo.service; marker c/foo.service.d/x.conf M_foo; UNIT=foo.service; }
case_template_alias()       { service c/foo@.service; ln -s foo@.service c/bar@.service; UNIT=bar@i.service
                              marker c/foo@i.service.d/1.conf M_1; marker c/foo@.service.d/2.conf M_2
                              marker c/bar@i.service.d/3.conf M_3; marker c/bar@.service.d/4.conf M_4; }
case_instance_alias()       { service c/foo@.service; ln -s ../c/foo@.service b/baz@j.service; UNIT=baz@j.service
                              marker c/foo@.service.d/1.conf M_1; marker c/baz@.service.d/2.conf M_2; marker c/baz@j.service.d/3.conf M_3; }
case_alias_chain()          { service c/z.service; ln -s z.service c/y.service; ln -s y.service b/x.service; UNIT=x.service
                              marker c/x.service.d/1.conf M_x; marker c/y.service.d/2.conf M_y; marker c/z.service.d/3.conf M_z; }
case_dropin_order()         { service c/real.service; UNIT=real.service
                              marker a/real.service.d/9-b.conf M_9b; marker c/real.service.d/10-a.conf M_10a
                              marker b/service.d/B.conf M_B; marker c/real.service.d/a.conf M_a
                              marker a/real.service.d/$'\xc3\xa4'.conf M_ae; marker c/real.service.d/_x.conf M_us
                              marker c/real.service.d/.hidden.conf M_hidden; }
case_dropin_masks()         { service c/real.service; UNIT=real.service
                              marker c/real.service.d/1.conf M_1; mkdir -p a/real.service.d; ln -s /dev/null a/real.service.d/1.conf
                              marker c/real.service.d/2.conf M_2; mkdir -p a/real.service.d/2.conf
                              marker c/real.service.d/3.conf M_3; ln -s /nonexistent a/real.service.d/3.conf
                              marker c/real.service.d/4.conf M_4; : >a/real.service.d/4.conf
                              marker c/real.service.d/5.conf M_5; }

cases=$(declare -F | sed -n 's/^declare -f case_//p')

rc=0 n=0
for suite in "${SUITES[@]}"; do
        root=/
        [[ $suite == host ]] || root=$CACHE/$suite
        version=$(analyze "$root" --version 2>/dev/null | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
        if [[ -z $version ]]; then
                n=$((n + 1))
                echo "not ok $n - $suite: cannot run its systemd-analyze (no root at $root?)"
                rc=1
                continue
        fi
        echo "# $suite: systemd $version"
        for c in $cases; do
                tree=$(mktemp -d /tmp/oracle-XXXXXX)
                UNIT= AMBIGUOUS=
                # not in a subshell: the case sets UNIT and AMBIGUOUS
                pushd "$tree" >/dev/null && mkdir -p a b c && "case_$c"
                popd >/dev/null

                theirs=$(SYSTEMD_UNIT_PATH=$tree/a:$tree/b:$tree/c analyze "$root" verify --man=no --generators=no -- "$UNIT" 2>&1 |
                         grep -o "Unknown key \(name \)\?'M[^']*'" | sed "s/^Unknown key \(name \)\?'\(.*\)'/\2/" | paste -sd' ')
                ours_out=$("$DUMP" "$root" "$tree" "$UNIT" /a /b /c 2>&1)
                ours=$(sed -n 's/^key //p' <<<"$ours_out" | paste -sd' ')
                n=$((n + 1))
                if [[ -n $AMBIGUOUS ]]; then
                        if grep -qx "ambiguous $AMBIGUOUS" <<<"$ours_out"; then
                                echo "ok $n - $suite $c: systemd read [$theirs], we report $AMBIGUOUS as ambiguous"; passed=$((passed + 1))
                        else
                                echo "not ok $n - $suite $c: $AMBIGUOUS not reported as ambiguous"; rc=1
                        fi
                elif [[ $theirs == "$ours" ]]; then
                        echo "ok $n - $suite $c: [$ours]"
                        passed=$((passed + 1))
                else
                        echo "not ok $n - $suite $c"
                        echo "#   systemd $version: [$theirs]"
                        echo "#   ours: [$ours]"
                        sed 's/^/#   /' <<<"$ours_out" | grep -v '^#   key '
                        rc=1
                fi
                rm -rf "$tree"
        done
done
echo "1..$n"
echo "oracle: $passed passed, $((n - passed)) failed"
exit $rc
