/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Terminal output of the command line: colours (only on a terminal), the pager, and a small JSON writer
 * for --json=pretty|short. */

#include <stdio.h>

#include "macro.h"

typedef enum JsonFormat {
        JSON_OFF,
        JSON_SHORT,
        JSON_PRETTY,
        _JSON_FORMAT_MAX,
        _JSON_FORMAT_INVALID = -EINVAL,
} JsonFormat;

#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* Display width of a UTF-8 string, counting each code point as one column (enough for "✓", "…"). */
size_t utf8_width(const char *s) _pure_;

JsonFormat json_format_from_string(const char *s) _pure_;

/* $SYSTEMD_COLORS overrides; otherwise colours only when stdout is a terminal, TERM is not "dumb" and
 * $NO_COLOR is unset. */
bool colors_enabled(void);
const char *ansi_red(void);
const char *ansi_green(void);
const char *ansi_yellow(void);
const char *ansi_highlight(void);
const char *ansi_grey(void);
const char *ansi_normal(void);

/* Like systemd: when stdout is a terminal, pipe it through $SYSTEMD_PAGER, $PAGER or "less" (with
 * LESS=FRSXMK), unless disabled. pager_close() waits for it. */
void pager_open(bool enabled);
void pager_close(void);

typedef struct JsonWriter {
        FILE *f;
        bool pretty;
        unsigned depth;
        bool need_comma;
        bool after_key;
} JsonWriter;

void json_writer_init(JsonWriter *w, FILE *f, JsonFormat format);
void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);
void json_key(JsonWriter *w, const char *key);
void json_string(JsonWriter *w, const char *s);         /* NULL → null */
void json_unsigned(JsonWriter *w, uint64_t u);
void json_integer(JsonWriter *w, int64_t i);
void json_bool(JsonWriter *w, bool b);
void json_null(JsonWriter *w);
void json_raw(JsonWriter *w, const char *text);         /* already valid JSON */
void json_finish(JsonWriter *w);                        /* final newline */

/* Convenience: "key": value pairs. */
void json_pair_string(JsonWriter *w, const char *key, const char *s);
void json_pair_unsigned(JsonWriter *w, const char *key, uint64_t u);
void json_pair_bool(JsonWriter *w, const char *key, bool b);
