#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The Landlock ABI matrix: boots real Debian kernels (ABI 2, 6, 10, 11, and one with Landlock disabled at
# boot) under QEMU/TCG with a tiny initramfs whose /init is qemu-test (built from this tree), and collects
# its TAP lines from a second serial port (the first is the kernel console).
#
#   test/qemu/run.sh BUILD_DIR [NAME…]       run the matrix (or only the kernels named, e.g. "7.2");
#                                            logs in BUILD_DIR/test/qemu/logs/
#   test/qemu/run.sh --fetch-only            only download/cache the kernels
#
# Root is needed for apt-get. Kernels are cached under .cache/kernels/<suite>/ (gitignored) and reused;
# set QEMU_TEST_REFRESH=1 to look for newer ones. The machine's apt configuration is never changed: a
# private sources.list and lists directory are used, pointed at the archive the machine already uses.

set -euo pipefail

SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${QEMU_TEST_CACHE:-$SRCDIR/.cache}
BOOT_TIMEOUT=${QEMU_TEST_TIMEOUT:-300}    # per boot; the 7.2 boot with the benchmark takes ~2 min under TCG
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# name  suite  kernel-series  expected-ABI  expected-errata  extra kernel command line
# The errata are what these Debian builds report at least (stable updates backport errata fixes, and the
# ERRATA flag itself to kernels before ABI 7); a newer build may report more, which passes as long as
# the table in src/shared/landlock-abi.c knows each of them (test-abi.c); if it does not, check what the
# new erratum fixed and add it there.
MATRIX=(
        "6.1            bookworm          6.1   2   0x0  -"
        "6.12           trixie            6.12  6   0xf  -"
        "7.2            sid               7.2   10  0xf  lltest.bench=1"
        "7.3            trixie-backports  7.3   11  0xf  -"
        "7.2-nolandlock sid               7.2   0   0x0  lsm=capability,yama"
)

log() { echo "qemu-test: $*" >&2; }
die() { log "$*"; exit 1; }

archive_uri() {
        local uri
        uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
        [[ -n $uri ]] || uri=$(awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit } $1 == "deb" { print $3; exit }' \
                                   /etc/apt/sources.list 2>/dev/null || true)
        [[ -n $uri ]] || die "cannot find the Debian archive address in the machine's apt configuration"
        echo "$uri"
}

# Private apt state for one suite; prints the options that select it.
apt_opts() {
        local suite=$1 d=$CACHE/apt/$1
        echo "-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$d/lists" \
             "-o Dir::Cache=$d/cache -o Dir::State::status=$d/status -o Debug::NoLocking=1 -o APT::Sandbox::User=root"
}

apt_update() {
        local suite=$1 d=$CACHE/apt/$1
        mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
        touch "$d/status"
        echo "deb [signed-by=$KEYRING] $(archive_uri) $suite main" >"$d/sources.list"
        # shellcheck disable=SC2046
        apt-get $(apt_opts "$suite") -q update >"$d/update.log" 2>&1 ||
                die "apt-get update for $suite failed, see $d/update.log"
}

# Prints the path of a cached vmlinuz of that series, downloading it first if needed.
fetch_kernel() {
        local suite=$1 series=$2 kdir=$CACHE/kernels/$1 d=$CACHE/apt/$1 rel pkg ver deb tmp
        local -a o

        if [[ ${QEMU_TEST_REFRESH:-0} != 1 ]]; then
                rel=$(ls "$kdir" 2>/dev/null | grep -v '\.\(source\|tmp\)$' | sed -n "s/^vmlinuz-\(${series//./\\.}[.-].*\)$/\1/p" | sort -V | tail -n1)
                if [[ -n $rel ]]; then
                        echo "$kdir/vmlinuz-$rel"
                        return
                fi
        fi

        apt_update "$suite"
        read -ra o <<<"$(apt_opts "$suite")"
        # The release string of the newest cloud kernel of this series, e.g. 7.2.13+deb14-cloud-amd64.
        rel=$(apt-cache "${o[@]}" pkgnames linux-image- |
              sed -n "s/^linux-image-\(${series//./\\.}[.-][^ ]*-cloud-amd64\)$/\1/p" | sort -V | tail -n1)
        [[ -n $rel ]] || die "no cloud-amd64 kernel of series $series in $suite"

        # Since 7.x the image package is a meta package and vmlinuz lives in linux-binary-*.
        for pkg in "linux-binary-$rel" "linux-binary-unsigned-$rel" "linux-image-$rel" "linux-image-$rel-unsigned"; do
                ver=$(apt-cache "${o[@]}" policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2 }')
                [[ -n $ver && $ver != "(none)" ]] || continue

                tmp=$(mktemp -d "$CACHE/tmp.XXXXXX")
                log "downloading $pkg $ver from $suite"
                (cd "$tmp" && apt-get "${o[@]}" -q download "$pkg=$ver" >&2) || { rm -rf "$tmp"; continue; }
                deb=$(ls "$tmp"/*.deb)
                dpkg-deb -x "$deb" "$tmp/x"
                local vmlinuz
                vmlinuz=$(find "$tmp/x" -name 'vmlinuz*' -type f | head -n1)
                if [[ -n $vmlinuz ]]; then
                        mkdir -p "$kdir"
                        cp "$vmlinuz" "$kdir/vmlinuz-$rel.tmp"
                        mv "$kdir/vmlinuz-$rel.tmp" "$kdir/vmlinuz-$rel"
                        echo "$pkg $ver" >"$kdir/vmlinuz-$rel.source"
                        rm -rf "$tmp"
                        echo "$kdir/vmlinuz-$rel"
                        return
                fi
                rm -rf "$tmp"
        done
        die "no package of $suite contains a vmlinuz for $rel"
}

# Copies a binary and the shared libraries it needs (and the loader) into the initramfs tree.
copy_with_libs() {
        local root=$1 bin=$2 dest=$3 lib
        install -D -m 0755 "$bin" "$root$dest"
        for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
                [[ -e $root$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
        done
}

build_initramfs() {
        local build=$1 out=$2 root cmd
        root=$(mktemp -d "$build/test/qemu/initramfs.XXXXXX")

        copy_with_libs "$root" "$build/test/qemu/qemu-test" /init
        if [[ -x $build/src/core/systemd-landlock-exec ]]; then
                copy_with_libs "$root" "$build/src/core/systemd-landlock-exec" /usr/libexec/systemd-landlock-exec
        else
                log "warning: $build/src/core/systemd-landlock-exec is not built, the enforcer checks will fail"
        fi
        if [[ -x $build/bench/restrict-threads ]]; then
                copy_with_libs "$root" "$build/bench/restrict-threads" /usr/bin/restrict-threads
        fi
        install -D -m 0755 /bin/busybox "$root/bin/busybox"
        for cmd in sh cat ls true false echo sleep; do
                ln -s busybox "$root/bin/$cmd"
        done
        mkdir -p "$root"/{proc,sys,dev,tmp,etc,root}
        # ldd found the libraries under /lib when /usr is merged; make both spellings work.
        [[ -e $root/usr/lib ]] || mkdir -p "$root/usr/lib"

        (cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out"
        rm -rf "$root"
}

# Boots one kernel. The console (ttyS0) goes to $log, the TAP lines from /init (ttyS1) to $log.txt.
boot_one() {
        local name=$1 vmlinuz=$2 initrd=$3 abi=$4 errata=$5 extra=$6 log=$7 append rc=0
        append="console=ttyS0 quiet panic=-1 lltest.name=$name lltest.abi=$abi lltest.errata=$errata lltest.tap=/dev/ttyS1"
        [[ $extra == - ]] || append+=" $extra"
        [[ -z ${CI:-} ]] || append+=" lltest.ci=${CI}"

        rm -f "$log.tap"
        timeout --foreground -k 10 "$BOOT_TIMEOUT" \
                qemu-system-x86_64 -accel tcg -cpu max -m 512 -smp 2 -nographic -no-reboot \
                -serial mon:stdio -serial "file:$log.tap" \
                -kernel "$vmlinuz" -initrd "$initrd" -append "$append" \
                </dev/null >"$log" 2>&1 || rc=$?
        tr -d '\r' <"$log.tap" >"$log.txt" 2>/dev/null || true
        return $rc
}

main() {
        local build="" fetch_only=0 total_pass=0 total_fail=0 entry name suite series abi errata extra
        local -a only=() summary=() bench_logs=()

        if [[ ${1:-} == --fetch-only ]]; then
                fetch_only=1
        else
                [[ $# -ge 1 ]] || die "usage: $0 BUILD_DIR [NAME…] | --fetch-only"
                build=$(cd "$1" && pwd)
                shift
                only=("$@")
                [[ -x $build/test/qemu/qemu-test ]] || die "$build/test/qemu/qemu-test is not built (ninja -C $build)"
        fi
        [[ $(id -u) == 0 ]] || die "must run as root (apt-get download)"
        command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is not installed"
        mkdir -p "$CACHE/kernels" "$CACHE/apt"

        # The initramfs and the logs belong to the build: two build dirs can run the matrix at once.
        local out=$build/test/qemu initrd=$build/test/qemu/initramfs.cpio.gz
        if [[ $fetch_only == 0 ]]; then
                mkdir -p "$out/logs"
                build_initramfs "$build" "$initrd"
        fi

        for entry in "${MATRIX[@]}"; do
                read -r name suite series abi errata extra <<<"$entry"
                if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " =~ " $name " ]]; then
                        continue
                fi

                local vmlinuz
                vmlinuz=$(fetch_kernel "$suite" "$series")
                [[ $fetch_only == 0 ]] || { log "$name: $vmlinuz"; continue; }

                local log=$out/logs/$name.log start=$SECONDS rc=0 pass fail done_line
                log "booting $name ($(basename "$vmlinuz"), expecting Landlock ABI $abi)"
                boot_one "$name" "$vmlinuz" "$initrd" "$abi" "$errata" "$extra" "$log" || rc=$?
                # Under TCG a kernel occasionally crashes while booting (seen: an oops in
                # sched_clock_cpu with two vCPUs), before /init ran at all. That says nothing about
                # Landlock or about us: boot again, at most twice, and say so. A crash after /init
                # started is never retried.
                local attempt
                for attempt in 2 3; do
                        [[ ! -s $log.txt ]] && grep -q 'Kernel panic' "$log" || break
                        log "$name: the kernel crashed before /init started (TCG); booting again, attempt $attempt"
                        rc=0
                        boot_one "$name" "$vmlinuz" "$initrd" "$abi" "$errata" "$extra" "$log" || rc=$?
                done

                # TAP lines from /init; anything else on the console is the kernel's.
                grep -E '^(ok|not ok|#|1\.\.)' "$log.txt" | sed "s/^/[$name] /" || true
                pass=$(grep -cE '^ok ' "$log.txt" || true)
                fail=$(grep -cE '^not ok ' "$log.txt" || true)
                done_line=$(grep -E '^# qemu-test: done' "$log.txt" || true)
                if [[ -z $done_line ]]; then
                        log "$name: the test program did not finish (qemu exit $rc); console tail:"
                        tail -n 30 "$log" | tr -d '\r' | sed "s/^/[$name] | /" >&2
                        fail=$((fail + 1))
                elif [[ $pass -eq 0 ]]; then
                        fail=$((fail + 1))
                fi
                # The benchmark is not a test, but a boot that was to run it and did not is a failure.
                if [[ $extra == *lltest.bench=1* ]]; then
                        if grep -q '^# bench: FAILED' "$log.txt" || ! grep -q '^# bench: ratio' "$log.txt"; then
                                log "$name: the restrict-threads benchmark did not run"
                                fail=$((fail + 1))
                        fi
                        bench_logs+=("$log.txt")
                fi
                summary+=("$(printf '%-16s ABI %-3s %3d passed, %d failed  (%ds)' "$name" "$abi" "$pass" "$fail" $((SECONDS - start)))")
                total_pass=$((total_pass + pass))
                total_fail=$((total_fail + fail))
        done
        [[ $fetch_only == 0 ]] || return 0
        [[ ${#summary[@]} -gt 0 ]] || die "no kernel selected"

        echo
        printf '%s\n' "${summary[@]}"
        [[ ${#bench_logs[@]} -eq 0 ]] || grep -h '^# bench:' "${bench_logs[@]}" || true
        echo "$total_pass passed, $total_fail failed"
        [[ $total_fail -eq 0 ]]
}

main "$@"
