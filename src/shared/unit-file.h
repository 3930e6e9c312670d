/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A reader for systemd unit files, faithful to systemd's syntax: "[Section]" headers, "Key=Value"
 * assignments, comments ("#" or ";" as first non-blank), line continuations (a trailing backslash joins
 * the next line with a space; comment lines inside a continuation are skipped), and systemd's quoting
 * rules for the words of a value (extract_first_word()). Specifiers ("%i", "%S"…) are never expanded:
 * they are left for systemd. Pure logic plus plain file reading; no knowledge of Landlock. */

#include "macro.h"

/* systemd reads lines of at most this many bytes (LONG_LINE_MAX, 1 MiB, less one: read_line() fails once
 * it holds that many); a longer line is a fatal error that ends the file there. */
#define UNIT_FILE_LINE_MAX (1024U * 1024U)

typedef struct UnitFileEntry {
        const char *section;            /* "Service"; points into UnitFile.strings */
        char *key;                      /* "ExecStart", stripped */
        char *value;                    /* raw value: continuations joined, outer whitespace stripped,
                                         * quotes/escapes still in place */
        const char *file;               /* the file it came from; points into UnitFile.files */
        unsigned line;                  /* line of the key (the first line of a continued assignment) */
} UnitFileEntry;

/* All assignments of a unit: its fragment, then its drop-ins, in the order systemd applies them. */
typedef struct UnitFile {
        UnitFileEntry *entries;
        size_t n_entries;
        char **files;                   /* NULL-terminated, in load order */
        char **strings;                 /* section names, interned; NULL-terminated */
} UnitFile;

#define UNIT_FILE_INIT (UnitFile) {}

void unit_file_done(UnitFile *u);

/* Parses "text" as if read from "filename" and appends its assignments. Never fails on syntax: like
 * systemd, malformed lines are skipped (a warning is appended to *warnings as "FILE:LINE: …" when
 * warnings is non-NULL). Returns 0 or -ENOMEM. */
int unit_file_parse_string(UnitFile *u, const char *filename, const char *text, char ***warnings);
/* Reads "path" and appends its assignments; "display_name" (may be NULL: path) is what messages name. */
int unit_file_load(UnitFile *u, const char *path, const char *display_name, char ***warnings);

/* Reads a whole file into a NUL-terminated string. */
int read_full_file(const char *path, char **ret, size_t *ret_size);

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

/* The inverse for words we write into unit files: returns "s" as is when systemd would read it back
 * unchanged, otherwise in double quotes with C escapes. With double_dollar, "$" becomes "$$" (a value
 * that systemd expands environment variables in). "%" is left alone: specifiers stay specifiers. */
char *unit_file_quote_word(const char *s, bool double_dollar);
