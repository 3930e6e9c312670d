/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* malloc() and friends of the static musl enforcer: arena.h's allocator (why: see there). musl supports
 * replacing its allocator this way; every function that can return or take a block is defined here, so
 * none of musl's own is linked in (test-exec-enforcer checks the symbols of the built enforcer). */

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "arena.h"

void *malloc(size_t size) {
        return arena_malloc(size);
}

void *calloc(size_t n, size_t size) {
        return arena_calloc(n, size);
}

void *realloc(void *p, size_t size) {
        return arena_realloc(p, size);
}

void free(void *p) {
        arena_free(p);
}

void *aligned_alloc(size_t alignment, size_t size) {
        return arena_aligned_alloc(alignment, size);
}

void *memalign(size_t alignment, size_t size) {
        return arena_aligned_alloc(alignment, size);
}

int posix_memalign(void **ret, size_t alignment, size_t size) {
        void *p;

        if (alignment < sizeof(void *))
                return EINVAL;
        p = arena_aligned_alloc(alignment, size);
        if (!p)
                return errno;
        *ret = p;
        return 0;
}

size_t malloc_usable_size(void *p) {
        return arena_usable_size(p);
}
