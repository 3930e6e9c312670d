#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# build.sh OUT: builds the Debian packages twice with dpkg-buildpackage -b -us -uc, each time in a copy
# of the source tree (dpkg-buildpackage writes its results into the parent directory and its build
# tree into debian/): OUT/v1 from the tree as it is, OUT/v2 with one more changelog entry, the
# "rebuilt package" the upgrade test installs over v1. The versions are in OUT/v1/version, OUT/v2/version.
# OUT/v1 also gets the source package (.dsc), for lintian.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(realpath -m "${1:?usage: build.sh OUT}")

# Quiet on success, the whole output on failure.
quiet() {
        local log
        log=$(mktemp)
        "$@" > "$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; echo "build.sh: failed: $*" >&2; return 1; }
        rm -f "$log"
}

# copy_tree DIR: the files git tracks or would track (the working tree, uncommitted changes included).
copy_tree() {
        mkdir -p "$1"
        (cd "$SRC" && git ls-files -z --cached --others --exclude-standard) |
                (cd "$SRC" && xargs -0 tar -c --no-recursion -f - 2>/dev/null) | tar -x -C "$1"
}

rm -rf "$OUT"
mkdir -p "$OUT/v1/src" "$OUT/v2/src"

dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version > "$OUT/v1/version"
upstream=$(sed 's/-[^-]*$//' "$OUT/v1/version")
# The source package too, for lintian's source checks: the upstream tarball is the tree without debian/.
rmdir "$OUT/v1/src"
copy_tree "$OUT/v1/systemd-landlock-$upstream"
tar -C "$OUT/v1" --exclude="systemd-landlock-$upstream/debian" -czf "$OUT/v1/systemd-landlock_$upstream.orig.tar.gz" \
        "systemd-landlock-$upstream"
(cd "$OUT/v1" && quiet dpkg-source -b "systemd-landlock-$upstream")
mv "$OUT/v1/systemd-landlock-$upstream" "$OUT/v1/src"
(cd "$OUT/v1/src" && quiet dpkg-buildpackage -b -us -uc)

# The rebuild: the same tree, one changelog entry more (a local version suffix, as dch --local makes).
copy_tree "$OUT/v2/src"
v2="$(cat "$OUT/v1/version")+rebuild1"
{
        printf 'systemd-landlock (%s) unstable; urgency=medium\n\n' "$v2"
        printf '  * Rebuild for the upgrade test.\n\n'
        printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -l "$OUT/v1/src/debian/changelog" -S Maintainer)" "$(date -R)"
        cat "$OUT/v1/src/debian/changelog"
} > "$OUT/v2/src/debian/changelog"
# The package's build-time tests ran in v1 already.
(cd "$OUT/v2/src" && DEB_BUILD_OPTIONS=nocheck quiet dpkg-buildpackage -b -us -uc)
echo "$v2" > "$OUT/v2/version"

rm -rf "$OUT/v1/src" "$OUT/v2/src"
ls "$OUT"/v1/*.deb "$OUT"/v2/*.deb > /dev/null
