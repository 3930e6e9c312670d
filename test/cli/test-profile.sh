#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# systemd-landlock profile and preset verbs, offline under a temporary --root, with the built presets and
# profiles: every shipped profile is a valid drop-in for its unit; enable links it where an administrator's
# override belongs, disable removes only that link; preset list/show. TAP output.
# The README's preset example is verified as part of a unit. Under PID 1, test/services runs the profiles
# and the examples of systemd.landlock(5).
# Usage: test-profile.sh PATH/TO/systemd-landlock BUILT_UNITS_DIR README
set -u

BIN=$1
export SYSTEMD_LANDLOCK_PRESET_PATH=$2 SYSTEMD_LANDLOCK_PROFILE_DIR=$2 SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/root
n=0
failed=0

check() {
        local what=$1; shift
        n=$((n + 1))
        if "$@" > "$T/out" 2>&1; then
                echo "ok $n - $what"
        else
                failed=$((failed + 1))
                echo "not ok $n - $what"
                sed 's/^/# /' "$T/out"
        fi
}

profiles=$(cd "$2" && ls *.conf | sed 's/\.conf$//')
[[ $(wc -w <<<"$profiles") -ge 6 ]] || { echo "Bail out! fewer than 6 profiles in $2"; exit 1; }

for p in $profiles; do
        # A profile is a drop-in: verified as part of a unit with a command, it must have no error.
        mkdir -p "$T/v"
        { printf '[Service]\nExecStart=/usr/bin/true\n'; grep -v '^\[Service\]' "$2/$p.conf"; } > "$T/v/$p.service"
        check "profile $p verifies" "$BIN" verify "$T/v/$p.service"
        check "every directive line of profile $p has a comment above it" \
                awk '/^(X-)?Landlock|^[A-Z][A-Za-z]*=/ { if (prev !~ /^#/ && prevkey == 0) { print "uncommented: " $0; bad = 1 } }
                     { prevkey = ($0 ~ /^(X-)?Landlock|^[A-Z][A-Za-z]*=/) && (prev ~ /^#/ || prevkey); prev = $0 }
                     END { exit bad }' "$2/$p.conf"
done

check "profile list names every profile, disabled" bash -c '"$0" --root="$1" profile list | grep -q "^nginx  *nginx.service  *disabled"' "$BIN" "$R"
check "profile enable links the drop-in into /etc" "$BIN" --root="$R" profile enable nginx
check "the link points at the shipped profile" \
        test "$(readlink "$R/etc/systemd/system/nginx.service.d/50-landlock-profile.conf")" = "$2/nginx.conf"
check "profile list says enabled" bash -c '"$0" --root="$1" profile list | grep -q "^nginx .*enabled"' "$BIN" "$R"
check "enable twice is fine" "$BIN" --root="$R" profile enable nginx
check "disable removes the link and the empty directory" \
        bash -c '"$0" --root="$1" profile disable nginx && ! test -e "$1/etc/systemd/system/nginx.service.d"' "$BIN" "$R"
mkdir -p "$R/etc/systemd/system/redis-server.service.d"
echo "[Service]" > "$R/etc/systemd/system/redis-server.service.d/50-landlock-profile.conf"
check "enable refuses to replace a file of the administrator" \
        bash -c '! "$0" --root="$1" profile enable redis-server' "$BIN" "$R"
check "disable refuses to remove a file of the administrator" \
        bash -c '! "$0" --root="$1" profile disable redis-server && test -f "$1/etc/systemd/system/redis-server.service.d/50-landlock-profile.conf"' "$BIN" "$R"
check "an unknown profile is an error" bash -c '! "$0" --root="$1" profile enable nosuch' "$BIN" "$R"
check "a profile name with a slash is refused" bash -c '! "$0" --root="$1" profile enable ../x' "$BIN" "$R"
check "profile show prints the drop-in" bash -c '"$0" profile show memcached | grep -q "^X-LandlockReadOnlyPaths=/etc/memcached.conf"' "$BIN"

check "preset list shows the four shipped presets with versions" \
        bash -c '"$0" preset list > "$1/l" && for p in base nameservice tls proc-self; do grep -q "^$p  *[1-9]" "$1/l" || exit 1; done' "$BIN" "$T"
check "preset show expands computed grants" \
        bash -c '"$0" preset show nameservice | grep -q "^/etc/passwd:ro"' "$BIN"

# The ini block of README's "Presets and profiles" section, with a command, must verify and expand.
awk '/^## Presets and profiles/ { s = 1 } s && /^```ini/ { p = 1; next } p && /^```/ { exit } p' "$3" > "$T/readme.ini"
{ cat "$T/readme.ini"; echo "ExecStart=/usr/bin/true"; } > "$T/v/readme.service"
check "README's preset example verifies" bash -c 'grep -q "^LandlockPreset=" "$1" && "$0" verify "$1"' "$BIN" "$T/v/readme.service"

echo "1..$n"
exit $((failed > 0))
