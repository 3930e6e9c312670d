/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Growing arrays, in the manner of systemd's GREEDY_REALLOC(): the capacity is what the allocator gave
 * (malloc_usable_size()), so an array needs no "allocated" counter next to its length, and appending n
 * elements one by one costs O(n) copies in total. */

#include "macro.h"

/* Makes *p hold at least "need" elements of "size" bytes (growing geometrically); *p may be NULL. Returns
 * *p, or NULL on overflow or when out of memory (then *p is unchanged). */
void *greedy_realloc(void **p, size_t need, size_t size);

#define GREEDY_REALLOC(array, need) \
        greedy_realloc((void **) &(array), (need), sizeof((array)[0]))

/* Appends one element to "array" of length "n" (incremented); returns false when out of memory. */
#define GREEDY_APPEND(array, n, ...)                                            \
        ({                                                                      \
                bool _ok_ = GREEDY_REALLOC(array, (n) + 1);                     \
                if (_ok_)                                                       \
                        (array)[(n)++] = __VA_ARGS__;                           \
                _ok_;                                                           \
        })
