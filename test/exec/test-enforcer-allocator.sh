#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-enforcer-allocator.sh ENFORCER: the static musl enforcer carries arena.h's allocator, and none of
# musl's (a block of one freed by the other would corrupt memory).
set -u
enforcer=$1
symbols=$(nm "$enforcer") || { echo "1..1"; echo "not ok 1 - nm $enforcer"; exit 0; }
echo "1..2"
if echo "$symbols" | grep -qE ' [Tt] arena_malloc$' && echo "$symbols" | grep -qE ' [Tt] malloc$'; then
        echo "ok 1 - malloc() is the arena's"
else
        echo "not ok 1 - malloc() is the arena's"
fi
if echo "$symbols" | grep -qE ' [Tt] (alloc_slot|__libc_malloc_impl|__libc_malloc|__libc_free)$'; then
        echo "not ok 2 - musl's allocator is linked in too"
else
        echo "ok 2 - musl's allocator is not linked in"
fi
