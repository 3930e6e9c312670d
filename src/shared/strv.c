/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <stdarg.h>

#include "alloc-util.h"
#include "strv.h"

size_t strv_length(char * const *l) {
        size_t n = 0;

        while (l && l[n])
                n++;
        return n;
}

char **strv_free(char **l) {
        for (char **s = l; s && *s; s++)
                free(*s);
        free(l);
        return NULL;
}

int strv_push(char ***l, char *value) {
        size_t n;
        char **c;

        assert(l);

        if (!value)
                return -ENOMEM;

        n = strv_length(*l);
        c = realloc(*l, sizeof(char *) * (n + 2));
        if (!c) {
                free(value);
                return -ENOMEM;
        }
        c[n] = value;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_consume(char ***l, char *value) {
        return strv_push(l, value);
}

int strv_split(const char *s, const char *separators, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        assert(s);
        assert(separators);
        assert(ret);

        for (const char *p = s;;) {
                size_t n;

                p += strspn(p, separators);
                if (*p == '\0')
                        break;
                n = strcspn(p, separators);
                r = strv_push(&l, strndup(p, n));
                if (r < 0)
                        return r;
                p += n;
        }

        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int strv_extend(char ***l, const char *value) {
        return strv_push(l, strdup(value));
}

int strv_extendf(char ***l, const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return strv_push(l, s);
}

/* One allocation for all of "b": linear, whatever their lengths. On failure *a is unchanged. */
int strv_extend_strv(char ***a, char * const *b) {
        size_t n = strv_length(*a), m = strv_length(b), i;
        char **l;

        if (m == 0)
                return 0;
        l = reallocarray(*a, n + m + 1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        *a = l;
        for (i = 0; i < m; i++) {
                l[n + i] = strdup(b[i]);
                if (!l[n + i])
                        break;
        }
        l[n + i] = NULL;
        if (i < m) {
                for (size_t j = 0; j < i; j++)
                        l[n + j] = mfree(l[n + j]);
                return -ENOMEM;
        }
        return 0;
}

bool strv_contains(char * const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

char *strv_join(char * const *l, const char *separator) {
        size_t n = 0, k = strlen(separator);
        char *r, *p;

        STRV_FOREACH(s, l)
                n += strlen(*s) + k;

        r = p = malloc(n + 1);
        if (!r)
                return NULL;
        *p = '\0';
        STRV_FOREACH(s, l) {
                if (s != l)
                        p = stpcpy(p, separator);
                p = stpcpy(p, *s);
        }
        return r;
}

static int str_compare(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

void strv_sort(char **l) {
        size_t n = strv_length(l);

        if (n > 1)      /* qsort(NULL, 0, …) is undefined behaviour */
                qsort(l, n, sizeof(char *), str_compare);
}

void strv_builder_done(StrvBuilder *b) {
        assert(b);

        b->l = strv_free(b->l);
        b->n = 0;
}

int strv_builder_addf(StrvBuilder *b, const char *format, ...) {
        va_list ap;
        char *s;
        int r;

        assert(b);
        assert(format);

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (!GREEDY_REALLOC(b->l, b->n + 2)) {
                free(s);
                return -ENOMEM;
        }
        b->l[b->n++] = s;
        b->l[b->n] = NULL;
        return 0;
}

bool strv_equal(char *const *a, char *const *b) {
        for (; a && *a; a++, b++)
                if (!b || !*b || !streq(*a, *b))
                        return false;
        return !b || !*b;
}
