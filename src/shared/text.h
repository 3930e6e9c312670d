/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one string builder: a NUL-terminated buffer that grows geometrically, so that building a text of n
 * bytes piece by piece costs O(n). An empty Text has buf == NULL. */

#include "macro.h"

typedef struct Text {
        char *buf;
        size_t n;                       /* bytes, without the NUL */
} Text;

void text_done(Text *t);
/* Hands over the buffer (NULL when nothing was appended) and empties the Text. */
char *text_steal(Text *t);

/* Each returns 0 or -ENOMEM (what was there stays). */
int text_append(Text *t, const char *s, size_t len);
int text_appends(Text *t, const char *s);
int text_appendf(Text *t, const char *format, ...) _printf_(2, 3);
