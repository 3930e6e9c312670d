/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <malloc.h>

#include "alloc-util.h"

/* Out of line on purpose: the caller then cannot see the size asked of realloc(), only that the pointer is
 * valid for the usable size, which is what it uses. */
void *greedy_realloc(void **p, size_t need, size_t size) {
        size_t n;
        void *q;

        assert(p);
        assert(size > 0);

        if (*p && malloc_usable_size(*p) / size >= need)
                return *p;

        /* Twice what is needed, and at least 64 bytes' worth: not a fixed number of elements, since the
         * enforcer's allocator hands out memory in order, and room never used still spreads what
         * follows over more pages, each a page fault in a process just started. */
        if (need > SIZE_MAX / 2 / size)
                return NULL;
        n = need * 2 < 64 / size ? 64 / size : need * 2;
        if (n == 0)
                n = 1;
        q = reallocarray(*p, n, size);
        if (!q)
                return NULL;
        *p = q;
        return q;
}
