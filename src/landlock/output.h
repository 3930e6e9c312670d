/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Terminal output of the command line: colours (only on a terminal), the pager, and the JSON model of
 * --json=pretty|short (json-c). */

#include <json-c/json.h>
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


/* One model per output: a verb builds its result once as a json-c object; --json prints it as it is and the
 * text printer reads the same object, so the two cannot say different things. */
static inline void json_object_putp(json_object **o) {
        json_object_put(*o);
}
#define _cleanup_json_ _cleanup_(json_object_putp)

/* Each takes what it adds (also on failure) and returns 0 or -ENOMEM. A NULL string adds null. */
int json_add(json_object *o, const char *key, json_object *v);
int json_add_string(json_object *o, const char *key, const char *s);
int json_add_uint(json_object *o, const char *key, uint64_t u);
int json_add_bool(json_object *o, const char *key, bool b);
/* A figure in tenths (exposure 96 → 9.6), as a number. */
int json_add_tenths(json_object *o, const char *key, unsigned tenths);
int json_append(json_object *array, json_object *v);
int json_append_string(json_object *array, const char *s);
/* A list of strings (NULL: empty). */
int json_add_strv(json_object *o, const char *key, char * const *l);

/* Readers for the text printers: NULL, 0 or false when missing or null. */
json_object *json_get(json_object *o, const char *key) _pure_;
const char *json_get_string(json_object *o, const char *key);
uint64_t json_get_uint(json_object *o, const char *key);
bool json_get_bool(json_object *o, const char *key);
size_t json_get_length(json_object *o, const char *key);
/* The strings of an array joined with ","; "none" for an empty one. */
char *json_get_joined(json_object *o, const char *key);

/* Prints "o" in the format asked for, and a newline. */
int json_print(json_object *o, JsonFormat format);
