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

        n = need < 8 ? 8 : need;
        if (n > SIZE_MAX / 2 / size)
                return NULL;
        q = reallocarray(*p, n * 2, size);
        if (!q)
                return NULL;
        *p = q;
        return q;
}
