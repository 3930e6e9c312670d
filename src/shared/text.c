/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>

#include "alloc-util.h"
#include "text.h"

void text_done(Text *t) {
        assert(t);

        t->buf = mfree(t->buf);
        t->n = 0;
}

char *text_steal(Text *t) {
        assert(t);

        t->n = 0;
        return TAKE_PTR(t->buf);
}

int text_append(Text *t, const char *s, size_t len) {
        assert(t);
        assert(s || len == 0);

        if (len > SIZE_MAX - t->n - 1 || !GREEDY_REALLOC(t->buf, t->n + len + 1))
                return -ENOMEM;
        memcpy(t->buf + t->n, s, len);
        t->n += len;
        t->buf[t->n] = '\0';
        return 0;
}

int text_appends(Text *t, const char *s) {
        assert(s);
        return text_append(t, s, strlen(s));
}

int text_appendf(Text *t, const char *format, ...) {
        bool was_empty = !t->buf;
        size_t avail;
        va_list ap;
        int k;

        assert(t);
        assert(format);

        /* Formatted in place, in what is left of the buffer: no string of its own to allocate, copy and
         * free. Only when that is too short, a second time with room for all of it. */
        if (!GREEDY_REALLOC(t->buf, t->n + 128))
                return -ENOMEM;
        avail = malloc_usable_size(t->buf) - t->n;
        va_start(ap, format);
        k = vsnprintf(t->buf + t->n, avail, format, ap);
        va_end(ap);
        if (k >= 0 && (size_t) k >= avail) {
                if ((size_t) k > SIZE_MAX - t->n - 1 || !GREEDY_REALLOC(t->buf, t->n + (size_t) k + 1))
                        k = -1;
                else {
                        va_start(ap, format);
                        k = vsnprintf(t->buf + t->n, (size_t) k + 1, format, ap);
                        va_end(ap);
                }
        }
        if (k < 0) {
                /* What was there stays. */
                t->buf[t->n] = '\0';
                if (was_empty)
                        t->buf = mfree(t->buf);
                return -ENOMEM;
        }
        t->n += (size_t) k;
        return 0;
}
