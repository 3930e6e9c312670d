/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "alloc-util.h"
#include "escape.h"
#include "extract-word.h"

int extract_first_word_raw(const char **p, char **ret, const char *separators, ExtractFlags flags,
                           const char **ret_raw_start, const char **ret_raw_end) {
        _cleanup_free_ char *s = NULL;
        const char *q, *start;
        size_t n = 0;
        char quote = 0;

        assert(p);
        assert(ret);

        if (!separators)
                separators = WHITESPACE;

        if (!*p) {
                *ret = NULL;
                return 0;
        }

        q = *p + strspn(*p, separators);
        if (!*q) {
                *p = q;
                *ret = NULL;
                return 0;
        }
        start = q;

        for (;; q++) {
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
                        if (q[1] == '\0') {
                                if (!(flags & EXTRACT_RELAX))
                                        return -EINVAL;
                                s[n++] = '\\';
                                continue;
                        }
                        if (flags & EXTRACT_CUNESCAPE) {
                                size_t len;
                                int k = cunescape_one(q + 1, s + n, &len);

                                if (k < 0) {
                                        if (!(flags & (EXTRACT_CUNESCAPE_RELAX|EXTRACT_RELAX)))
                                                return -EINVAL;
                                        s[n++] = '\\';
                                        s[n++] = q[1];
                                        q++;
                                        continue;
                                }
                                n += len;
                                q += k;
                        } else
                                s[n++] = *++q;
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
        if (ret_raw_start)
                *ret_raw_start = start;
        if (ret_raw_end)
                *ret_raw_end = q;
        *p = q + strspn(q, separators);
        *ret = TAKE_PTR(s);
        return 1;
}

int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags) {
        return extract_first_word_raw(p, ret, separators, flags, NULL, NULL);
}
