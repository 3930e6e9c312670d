/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The words of a value, split and unquoted as systemd's extract_first_word() does. */

#include "macro.h"

/* What systemd takes for blanks in unit files (unit-file.c's strip, the words of a value). */
#define WHITESPACE " \t\n\r"

typedef enum ExtractFlags {
        EXTRACT_UNQUOTE   = 1 << 0,     /* remove '…' and "…" quoting */
        EXTRACT_CUNESCAPE = 1 << 1,     /* process C escapes (\n, \t, \xNN, \NNN octal, \uXXXX, …) */
        EXTRACT_RELAX     = 1 << 2,     /* accept a trailing lone backslash / unterminated quote;
                                         * implies EXTRACT_CUNESCAPE_RELAX */
        EXTRACT_CUNESCAPE_RELAX = 1 << 3, /* keep unknown escapes ("\:") as written instead of failing */
} ExtractFlags;

/* systemd's extract_first_word(): extracts the next word of *p separated by "separators" (NULL:
 * whitespace), advances *p past it and the following separators. Returns 1 and the word, 0 at the end
 * (*ret = NULL), or -EINVAL on bad quoting/escapes. When ret_raw_start/ret_raw_end are non-NULL they
 * receive the span of the word as written (quotes and escapes included). */
int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags);
int extract_first_word_raw(const char **p, char **ret, const char *separators, ExtractFlags flags,
                           const char **ret_raw_start, const char **ret_raw_end);

