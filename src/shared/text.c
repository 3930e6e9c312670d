/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdarg.h>

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
        _cleanup_free_ char *s = NULL;
        va_list ap;
        int r;

        assert(format);

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return text_append(t, s, (size_t) r);
}
