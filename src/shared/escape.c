/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "escape.h"

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

static size_t utf8_encode(char *out, uint32_t c) {
        if (c < 0x80) {
                out[0] = c;
                return 1;
        }
        if (c < 0x800) {
                out[0] = 0xc0 | (c >> 6);
                out[1] = 0x80 | (c & 0x3f);
                return 2;
        }
        if (c < 0x10000) {
                out[0] = 0xe0 | (c >> 12);
                out[1] = 0x80 | ((c >> 6) & 0x3f);
                out[2] = 0x80 | (c & 0x3f);
                return 3;
        }
        out[0] = 0xf0 | (c >> 18);
        out[1] = 0x80 | ((c >> 12) & 0x3f);
        out[2] = 0x80 | ((c >> 6) & 0x3f);
        out[3] = 0x80 | (c & 0x3f);
        return 4;
}

int cunescape_one(const char *p, char *out, size_t *ret_len) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        uint32_t c = 0;
        int a, b, d;

        if (!*p)
                return -EINVAL;

        for (size_t i = 0; simple[i]; i += 2)
                if (simple[i] == *p) {
                        out[0] = simple[i + 1];
                        *ret_len = 1;
                        return 1;
                }

        switch (*p) {

        case 'x':
                a = unhex(p[1]);
                if (a < 0)
                        return -EINVAL;
                b = unhex(p[2]);
                if (b < 0)
                        return -EINVAL;
                if (a == 0 && b == 0)
                        return -EINVAL;
                out[0] = (char) ((a << 4) | b);
                *ret_len = 1;
                return 3;

        case 'u':
        case 'U': {
                size_t n = *p == 'u' ? 4 : 8;

                for (size_t i = 1; i <= n; i++) {
                        d = unhex(p[i]);
                        if (d < 0)
                                return -EINVAL;
                        c = (c << 4) | d;
                }
                if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                        return -EINVAL;
                *ret_len = utf8_encode(out, c);
                return n + 1;
        }

        case '0' ... '7':
                for (size_t i = 0; i < 3; i++) {
                        if (p[i] < '0' || p[i] > '7')
                                return -EINVAL;
                        c = (c << 3) | (p[i] - '0');
                }
                if (c == 0 || c > 255)
                        return -EINVAL;
                out[0] = (char) c;
                *ret_len = 1;
                return 3;

        default:
                return -EINVAL;
        }
}


char *path_colon_escape(const char *path) {
        char *buf, *q;

        assert(path);

        buf = q = malloc(strlen(path) * 2 + 1);
        if (!buf)
                return NULL;
        for (const char *p = path; *p; p++) {
                if (*p == ':' || *p == '\\')
                        *q++ = '\\';
                *q++ = *p;
        }
        *q = '\0';
        return buf;
}

int path_colon_unescape(const char *s, char **ret, const char **ret_rest) {
        const char *rest = NULL;
        char *path;
        size_t n = 0;

        assert(s);
        assert(ret);

        path = malloc(strlen(s) + 1);
        if (!path)
                return -ENOMEM;
        for (; *s; s++) {
                if (s[0] == '\\' && (s[1] == ':' || s[1] == '\\')) {
                        path[n++] = *++s;
                        continue;
                }
                if (*s == ':') {
                        rest = s + 1;
                        break;
                }
                path[n++] = *s;
        }
        path[n] = '\0';
        *ret = path;
        if (ret_rest)
                *ret_rest = rest;
        return 0;
}
