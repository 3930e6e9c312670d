/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "utf8.h"

size_t utf8_valid_char(const unsigned char *s, uint32_t *ret_c) {
        size_t len;
        uint32_t c;

        if (s[0] < 0x80) {
                c = s[0];
                len = 1;
                goto done;
        }
        if ((s[0] & 0xe0) == 0xc0)
                len = 2, c = s[0] & 0x1f;
        else if ((s[0] & 0xf0) == 0xe0)
                len = 3, c = s[0] & 0x0f;
        else if ((s[0] & 0xf8) == 0xf0)
                len = 4, c = s[0] & 0x07;
        else
                return 0;       /* a continuation byte, or a 5 or 6 byte form (always beyond U+10FFFF) */

        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                c = (c << 6) | (s[i] & 0x3f);
        }

        if (len != (c < 0x80 ? 1u : c < 0x800 ? 2u : c < 0x10000 ? 3u : 4u))
                return 0;       /* overlong */
        if (c >= 0x110000 || (c & 0xfffff800) == 0xd800 || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
                return 0;
done:
        if (ret_c)
                *ret_c = c;
        return len;
}

bool utf8_is_valid(const char *s) {
        for (const unsigned char *p = (const unsigned char *) s; *p; ) {
                size_t k;

                /* Unit files are mostly ASCII: those bytes are valid alone. */
                if (*p < 0x80) {
                        p++;
                        continue;
                }
                k = utf8_valid_char(p, NULL);

                if (k == 0)
                        return false;
                p += k;
        }
        return true;
}
