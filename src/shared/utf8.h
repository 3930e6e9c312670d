/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* systemd's utf8_encoded_valid_unichar() for the character at *s: its length, or 0 when invalid. Overlong
 * forms, surrogates, code points beyond U+10FFFF and the non-characters (U+FDD0…U+FDEF and every U+xxFFFE,
 * U+xxFFFF) are invalid; a byte-order mark is a valid character. Reads no byte past a NUL. The code point
 * goes to *ret_c when ret_c is not NULL. */
size_t utf8_valid_char(const unsigned char *s, uint32_t *ret_c);

/* Whether the whole NUL-terminated string is valid UTF-8 by the rules above. */
bool utf8_is_valid(const char *s);
