/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "alloc-util.h"
#include "escape.h"
#include "extract-word.h"

/* The backslash at *q and what follows it, written to s at *n as "flags" say; *q is left on the last
 * character the escape takes. s has room for 4 more bytes. */
static int extract_escape(const char **q, char *s, size_t *n, ExtractFlags flags) {
        const char *e = *q;
        size_t len;
        int k;

        if (e[1] == '\0') {
                if (!(flags & EXTRACT_RELAX))
                        return -EINVAL;
                s[(*n)++] = '\\';
                return 0;
        }
        if (!(flags & EXTRACT_CUNESCAPE)) {
                s[(*n)++] = e[1];
                *q = e + 1;
                return 0;
        }

        k = cunescape_one(e + 1, s + *n, &len);
        if (k < 0) {
                if (!(flags & (EXTRACT_CUNESCAPE_RELAX|EXTRACT_RELAX)))
                        return -EINVAL;
                s[(*n)++] = '\\';
                s[(*n)++] = e[1];
                *q = e + 1;
                return 0;
        }
        *n += len;
        *q = e + k;
        return 0;
}

/* The word that starts at "start" (not a separator), unquoted and unescaped as "flags" say, and where it
 * ends: the separator or NUL after it. */
static int extract_word_scan(const char *start, const char *separators, ExtractFlags flags,
                             char **ret_word, const char **ret_end) {
        _cleanup_free_ char *s = NULL;
        const char *q;
        size_t n = 0;
        char quote = 0;
        int r;

        for (q = start;; q++) {
                char c = *q;

                /* Room for the most one step writes (an escape: up to 4 bytes) and the final NUL; grown as
                 * the word grows, never by the length of the rest of the line: a line of many words must
                 * take linear time. */
                if (!GREEDY_REALLOC(s, n + 8))
                        return -ENOMEM;

                if (c == '\0') {
                        if (quote && !(flags & EXTRACT_RELAX))
                                return -EINVAL;
                        break;
                }

                if (c == '\\') {
                        r = extract_escape(&q, s, &n, flags);
                        if (r < 0)
                                return r;
                        continue;
                }

                if (quote) {
                        if (c == quote)
                                quote = 0;
                        else
                                s[n++] = c;
                        continue;
                }

                if (strchr(separators, c))
                        break;

                if ((flags & EXTRACT_UNQUOTE) && (c == '"' || c == '\'')) {
                        quote = c;
                        continue;
                }

                s[n++] = c;
        }

        s[n] = '\0';
        *ret_word = TAKE_PTR(s);
        *ret_end = q;
        return 0;
}

int extract_first_word_raw(const char **p, char **ret, const char *separators, ExtractFlags flags,
                           const char **ret_raw_start, const char **ret_raw_end) {
        const char *start, *end;
        char *word;
        int r;

        assert(p);
        assert(ret);

        if (!separators)
                separators = WHITESPACE;

        if (!*p) {
                *ret = NULL;
                return 0;
        }

        start = *p + strspn(*p, separators);
        if (!*start) {
                *p = start;
                *ret = NULL;
                return 0;
        }

        r = extract_word_scan(start, separators, flags, &word, &end);
        if (r < 0)
                return r;

        if (ret_raw_start)
                *ret_raw_start = start;
        if (ret_raw_end)
                *ret_raw_end = end;
        *p = end + strspn(end, separators);
        *ret = word;
        return 1;
}

int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags) {
        return extract_first_word_raw(p, ret, separators, flags, NULL, NULL);
}
