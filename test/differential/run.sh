#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run.sh BUILD_DIR [host|trixie|sid…]: the differential test of the guarantee (systemd.landlock(5)), with systemd itself as the
# judge. Every tree of test/differential/corpus is laid into the container's /etc, /run and /usr before
# PID 1 boots (so the generator sees it at boot); inside, inside.sh asks PID 1 what it will run for each
# unit and runs it with a probe as every command; judge.py then checks, per unit and systemd version,
# that every command is the enforcer or carries "+" (or the unit refuses to load or start), that every
# probe run was confined, that PID 1 loaded the same commands with and without the generator, and the
# tree's own expectations. Prints TAP and "differential: N passed, N failed".
#   host    systemd 252, the host's own (Debian 12)
#   trixie  systemd 257
#   sid     systemd 262
# Trees share one boot per version unless their "units" file names another boot group ("boot NAME").
# DIFFERENTIAL_ONLY=SUBSTRING keeps the trees whose name contains it.
set -uo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$SRC/test/differential
BUILD=$(realpath -m "${1:?usage: run.sh BUILD_DIR [host|trixie|sid…]}")
shift
SUITES=("$@")
((${#SUITES[@]})) || SUITES=(host trixie sid)
CACHE=${LLTEST_ROOT_CACHE:-$SRC/.cache/roots}
CORPUS=${DIFFERENTIAL_CORPUS:-$HERE/corpus}
WORK=$BUILD/differential
STAGE=$WORK/stage
PAYLOAD=usr/lib/systemd-landlock-tests/differential
BOOT_TIMEOUT=${DIFFERENTIAL_BOOT_TIMEOUT:-300}
PREFLIGHT_TIMEOUT=${DIFFERENTIAL_PREFLIGHT_TIMEOUT:-5}

# Every version with the unified cgroup hierarchy: 252 in this host's hybrid layout races with the removal
# of a oneshot service's empty cgroup ("Failed at step CGROUP") and then skips commands at random.
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1

[[ $(id -u) == 0 ]] || { echo "differential: must run as root (it boots containers)" >&2; exit 1; }

die() {
        echo "differential: $*" >&2
        echo "differential: 0 passed, 1 failed"
        exit 1
}

# The trees, in order, and their boot groups.
declare -A TREE_GROUP
TREES=()
GROUPS_ORDER=()
collect_trees() {
        local t name group
        for t in "$CORPUS"/*/; do
                name=$(basename "$t")
                [[ -n ${DIFFERENTIAL_ONLY:-} && $name != *"$DIFFERENTIAL_ONLY"* ]] && continue
                [[ -s $t/description ]] || die "tree $name has no description"
                [[ -s $t/units ]] || die "tree $name has no units file"
                group=$(sed -n 's/^boot[[:space:]]\+\([A-Za-z0-9_-]\+\)[[:space:]]*$/\1/p' "$t/units" | tail -n 1)
                group=${group:-main}
                TREES+=("$name")
                TREE_GROUP[$name]=$group
                [[ " ${GROUPS_ORDER[*]} " == *" $group "* ]] || GROUPS_ORDER+=("$group")
        done
        ((${#TREES[@]})) || die "no trees in $CORPUS"
}

build_payload() {
        local d=$STAGE/$PAYLOAD
        "$SRC/test/units/stage.sh" "$BUILD" "$STAGE" || die "building or staging failed"
        mkdir -p "$d" "$STAGE/usr/lib/systemd/system"
        cc -O2 -Wall -Wextra -static -o "$d/dprobe" "$HERE/helpers/dprobe.c" || die "cannot build the probe"
        cc -O2 -Wall -Wextra -o "$d/dprobe-dyn" "$HERE/helpers/dprobe.c" || die "cannot build the probe"
        cc -O2 -Wall -Wextra -shared -fPIC -DDPROBE_PRELOAD -o "$d/libdpreload.so" "$HERE/helpers/dprobe.c" ||
                die "cannot build the preload library"
        install -m 0755 "$HERE/inside.sh" "$d/"
        install -m 0644 "$HERE/differential-runner.service" "$STAGE/usr/lib/systemd/system/"
}

# The generator on each tree alone, outside any container, bounded in time: a generator that does not
# finish would hold PID 1's boot for 90 s at every boot and daemon-reload. Such trees are failed here
# and left out of the boots. At most two generators per CPU at once: started all together, a few hundred
# of them shared two CPUs, and on a loaded machine one could pass its time limit waiting for a CPU.
declare -A PREFLIGHT
preflight() {
        local t out rc scope gen=$BUILD/src/core/systemd-landlock-generator jobs_max=$(($(nproc) * 2))
        [[ -x $gen ]] || die "no generator at $gen"
        mkdir -p "$WORK/preflight"
        for t in "${TREES[@]}"; do
                out=$WORK/preflight/$t
                rm -rf "$out"
                for scope in system user; do
                        [[ $scope == user && ! -d $CORPUS/$t/etc/systemd/user && ! -d $CORPUS/$t/usr/lib/systemd/user ]] && continue
                        mkdir -p "$out/$scope/normal" "$out/$scope/early" "$out/$scope/late"
                        while (($(jobs -rp | wc -l) >= jobs_max)); do
                                wait -n
                        done
                        {
                                timeout -k 2 "$PREFLIGHT_TIMEOUT" "$gen" --scope=$scope --root="$CORPUS/$t" \
                                        "$out/$scope/normal" "$out/$scope/early" "$out/$scope/late" > "$out/$scope/log" 2>&1
                                echo $? > "$out/$scope/rc"
                        } &
                done
        done
        wait
        for t in "${TREES[@]}"; do
                out=$WORK/preflight/$t
                echo 0 > "$out/rc"
                for scope in system user; do
                        [[ -d $out/$scope ]] || continue
                        rc=$(cat "$out/$scope/rc" 2>/dev/null) || rc=unknown
                        [[ $rc == 0 ]] || echo "$rc" > "$out/rc"
                done
                PREFLIGHT[$t]=$(cat "$out/rc")
        done
}

# Copies the SUB directory of every tree of GROUP into DEST, refusing two trees that lay the same file.
union_of() {
        local group=$1 sub=$2 dest=$3 t dup
        mkdir -p "$dest"
        for t in "${TREES[@]}"; do
                [[ ${TREE_GROUP[$t]} == "$group" && ${PREFLIGHT[$t]} != 124 ]] || continue
                [[ -d $CORPUS/$t/$sub ]] || continue
                dup=$(cd "$CORPUS/$t/$sub" && find . ! -type d -print0 | while IFS= read -r -d '' f; do
                        [[ -e $dest/$f || -L $dest/$f ]] && printf '%s\n' "$f"
                done)
                [[ -z $dup ]] || die "trees lay the same file twice in boot group $group: $dup (from $t)"
                cp -a "$CORPUS/$t/$sub/." "$dest/"
        done
}

# Manifest of a group: INDEX TREE UNIT SET STARTS, one unit a line.
write_manifest() {
        local group=$1 manifest=$2 t line unit set starts idx=0
        : > "$manifest"
        for t in "${TREES[@]}"; do
                [[ ${TREE_GROUP[$t]} == "$group" && ${PREFLIGHT[$t]} != 124 ]] || continue
                set=main
                [[ -d $CORPUS/$t/after-boot ]] && set=edit
                while read -r line; do
                        [[ -z $line || $line == \#* || $line == boot\ * ]] && continue
                        unit=${line%% *}
                        starts=$(grep -o 'starts=[0-9]\+' <<< "$line" | head -n 1 | cut -d= -f2)
                        idx=$((idx + 1))
                        echo "$idx $t $unit $set ${starts:-1}" >> "$manifest"
                done < "$CORPUS/$t/units"
        done
}

build_group() {
        local group=$1 g=$WORK/groups/$1 t
        rm -rf "$g"
        mkdir -p "$g"
        cp -a "$STAGE" "$g/stage"
        union_of "$group" usr "$g/stage/usr"
        union_of "$group" etc/systemd "$g/etc-systemd"
        union_of "$group" run/systemd/system "$g/run-systemd-system"
        mkdir -p "$g/etc-systemd/system.conf.d"
        # Nothing of the corpus may hold a boot for long.
        printf '[Manager]\nDefaultTimeoutStartSec=20s\nDefaultTimeoutStopSec=20s\n' \
                > "$g/etc-systemd/system.conf.d/50-differential.conf"
        for t in "${TREES[@]}"; do
                [[ ${TREE_GROUP[$t]} == "$group" && ${PREFLIGHT[$t]} != 124 ]] || continue
                for sub in fixtures after-boot; do
                        if [[ -d $CORPUS/$t/$sub ]]; then
                                mkdir -p "$g/stage/$PAYLOAD/trees/$t"
                                cp -a "$CORPUS/$t/$sub" "$g/stage/$PAYLOAD/trees/$t/"
                        fi
                done
        done
        write_manifest "$group" "$g/stage/$PAYLOAD/manifest"
        cp "$g/stage/$PAYLOAD/manifest" "$g/manifest"
        mkdir -p "$g/stage/usr/lib/systemd/system/multi-user.target.wants"
        ln -sfn ../differential-runner.service "$g/stage/usr/lib/systemd/system/multi-user.target.wants/"
}

boot_group() {
        local suite=$1 root=$2 group=$3 g=$WORK/groups/$3 w=$WORK/$1/$3 rc
        rm -rf "$w"
        mkdir -p "$w/results"
        # The container writes into /etc/systemd (presets, the harness's edits): a fresh copy each boot.
        mkdir -p "$w/etc-systemd" "$w/run-systemd-system"
        [[ $root != / && -d $root/etc/systemd ]] && cp -a "$root/etc/systemd/." "$w/etc-systemd/"
        cp -a "$g/etc-systemd/." "$w/etc-systemd/"
        cp -a "$g/run-systemd-system/." "$w/run-systemd-system/"
        cp "$g/manifest" "$w/results/manifest"
        "$SRC/test/units/boot.sh" "$g/stage" "$root" "$w/results" "$BOOT_TIMEOUT" \
                --bind="$w/etc-systemd:/etc/systemd" \
                --bind="$w/run-systemd-system:/run/systemd/system" \
                > "$w/console.log" 2>&1
        rc=$?
        echo "$rc" > "$w/nspawn-rc"
        [[ -e $w/results/done ]] || {
                echo "differential: $suite/$group: the container did not finish (nspawn exit status $rc); console tail:" >&2
                tail -n 40 "$w/console.log" >&2
        }
}

main() {
        local suite root group start=$SECONDS
        collect_trees
        build_payload
        preflight
        rm -rf "$WORK/groups"
        for group in "${GROUPS_ORDER[@]}"; do
                build_group "$group"
        done
        echo "differential: ${#TREES[@]} trees, boot groups: ${GROUPS_ORDER[*]} ($((SECONDS - start)) s to stage)"

        for suite in "${SUITES[@]}"; do
                rm -rf "${WORK:?}/$suite"
                if [[ $suite == host ]]; then
                        root=/
                else
                        root=$CACHE/$suite
                        "$SRC/test/systemd-matrix/make-root.sh" "$suite" "$root" || {
                                mkdir -p "$WORK/$suite"
                                echo "no root filesystem for $suite (debootstrap failed)" > "$WORK/$suite/error"
                                continue
                        }
                fi
                for group in "${GROUPS_ORDER[@]}"; do
                        boot_group "$suite" "$root" "$group"
                done
                echo "differential: $suite booted ($((SECONDS - start)) s)"
        done

        python3 "$HERE/judge.py" --corpus "$CORPUS" --work "$WORK" --trees "${TREES[@]}" --suites "${SUITES[@]}" \
                --groups "${GROUPS_ORDER[@]}"
}

main
