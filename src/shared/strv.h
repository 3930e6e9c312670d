/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NULL-terminated string lists, as in systemd (only what this project needs). */

#include <stdbool.h>

#include "macro.h"

char **strv_free(char **l);
static inline void strv_freep(char ***l) {
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l) _pure_;
static inline bool strv_isempty(char *const *l) {
        return !l || !*l;
}
bool strv_contains(char *const *l, const char *s) _pure_;
/* The same strings in the same order (NULL is the empty list). */
bool strv_equal(char *const *a, char *const *b) _pure_;
/* Append a copy of "s" to *l (*l may be NULL); strv_consume() takes ownership of "s", also on failure
 * (strv_push() is the same). */
int strv_extend(char ***l, const char *s);
int strv_consume(char ***l, char *s);
int strv_push(char ***l, char *s);
int strv_extendf(char ***l, const char *format, ...) _printf_(2, 3);
int strv_extend_strv(char ***a, char *const *b);
/* Split "s" at any of the characters in "separators", dropping empty words. */
int strv_split(const char *s, const char *separators, char ***ret);
char *strv_join(char *const *l, const char *separator);
void strv_sort(char **l);

/* A list built word by word: appending n words costs O(n) (strv_extend() counts the list each time). */
typedef struct StrvBuilder {
        char **l;                       /* NULL-terminated, or NULL while empty */
        size_t n;
} StrvBuilder;

void strv_builder_done(StrvBuilder *b);
int strv_builder_addf(StrvBuilder *b, const char *format, ...) _printf_(2, 3);

#define STR_IN_SET(x, ...) strv_contains((char * const *) (const char * const[]) { __VA_ARGS__, NULL }, (x))

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
